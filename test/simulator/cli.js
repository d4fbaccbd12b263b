// Plain-JS launcher so `node test/simulator/cli.js` (the package.json "simulator" script) works:
// registers tsx's TypeScript loader, then runs cli.ts. Same flags as cli.ts.
require('tsx/cjs');
require('./cli.ts');
