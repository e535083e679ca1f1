export * from './adversarial';
export * from './theory';
export * from './finite';
export * from './ganLoss';
