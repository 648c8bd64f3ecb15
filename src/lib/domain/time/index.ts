/** Site-local time: reading typed date-times and showing instants in a site's IANA zone. Pure. */
export * from './zone';
export * from './parse';
export * from './format';
export * from './future';
