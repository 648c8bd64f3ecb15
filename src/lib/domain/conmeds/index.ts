// Concomitant medications: the bundled ATC subset and the protocol's interaction rules. Pure.
export * from './atc';
export * from './settings';
export * from './interactions';
