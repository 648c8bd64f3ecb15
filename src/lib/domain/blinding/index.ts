export * from './indices';
export * from './guesses';
