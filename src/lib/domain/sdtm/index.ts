export * from './spec';
export * from './codelists';
export * from './countries';
export * from './derivations';
export * from './datasets';
export * from './datasets-findings';
export * from './conformance';
export * from './column-stats';
