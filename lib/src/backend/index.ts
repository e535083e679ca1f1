export * from './initBackend';
export * from './mode';
export * from './envFlags';
