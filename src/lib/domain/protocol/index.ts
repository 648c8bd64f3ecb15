// The protocol definition: schema and parsing, defaults from DOMAIN.md, rule ids, the demo study's
// protocol and visit scheduling.
export * from './codes';
export * from './comparison';
export * from './schema';
export * from './defaults';
export { PROTOCOL_DEFAULTS, withProtocolDefaults } from './merge-defaults';
export * from './rule-ids';
export * from './dates';
export * from './schedule';
export { demoProtocol, DEMO_PROTOCOL_JSON } from './demo';
