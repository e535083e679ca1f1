export * from './initBackend';
