export * from './schedules';
export * from './optimizer';
export * from './sgdMomentum';
export * from './adam';
export * from './variables';
export * from './steps';
export * from './trainGan';
export * from './figure1';
