export * from './form';
export * from './settings';
export { PHQ9_TEXT } from './phq9-text';
