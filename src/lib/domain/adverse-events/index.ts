/** Adverse events: code lists, coded terms, seriousness, clocks and cross-field rules. */
export * from './action-taken';
export * from './causality';
export * from './clocks';
export * from './coded-terms';
export * from './consistency';
export * from './outcome';
export * from './seriousness';
export * from './severity';
export * from './term-search';
