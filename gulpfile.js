// tsc does not copy assets: the node and credential icons, the codex file and the output schemas (n8n's editor shows
// them before a first run, read from __schema__/ next to the node file) must sit next to the compiled files in dist/.
const { src, dest, task } = require('gulp');

task('build:icons', () =>
	src(['nodes/**/*.svg', 'nodes/**/*.node.json', 'nodes/**/__schema__/**/*.json', 'credentials/**/*.svg'], { base: '.' }).pipe(dest('dist')),
);
