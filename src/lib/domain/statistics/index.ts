/** Statistics for the cohort and safety dashboards. Pure: numbers in, numbers out. */
export * from './descriptive';
export * from './intervals';
export * from './normal-quantile';
export * from './rates';
export * from './t-quantile';
export * from './kaplan-meier';
