export * from './adversarial';
export * from './theory';
