export * from './settings';
export * from './detect';
