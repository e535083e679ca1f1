export * from './initBackend';
export * from './mode';
