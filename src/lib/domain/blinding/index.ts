export * from './indices';
export * from './guesses';
export * from './summary';
export * from './settings';
