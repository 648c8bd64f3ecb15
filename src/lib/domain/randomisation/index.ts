// Randomisation: the permuted-block allocation list and strata. Pure; the service keeps the list
// where blinded roles cannot read it and takes the stratum's next free slot in one transaction.
export * from './prng';
export * from './blocks';
export * from './strata';
export * from './settings';
