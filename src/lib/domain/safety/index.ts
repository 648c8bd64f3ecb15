// Safety evaluation: pure functions from readings, scores and events, the protocol's rules and a
// clock to flag candidates. The services run them inside the transaction that saves the data.
export * from './types';
export * from './words';
export * from './vitals';
export * from './scales';
export * from './adverse-events';
export * from './missed-outcome';
