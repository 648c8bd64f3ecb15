// `npm run docs:access`: writes docs/access-matrix.md from src/lib/access/matrix.ts.
import { writeFileSync } from 'node:fs';
import { accessMatrixMarkdown } from '../src/lib/access/markdown';

writeFileSync('docs/access-matrix.md', accessMatrixMarkdown());
console.log('docs/access-matrix.md written.');
