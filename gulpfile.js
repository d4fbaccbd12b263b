// tsc does not copy assets: the node and credential icons must sit next to the compiled files in dist/.
const { src, dest, task } = require('gulp');

task('build:icons', () =>
	src(['nodes/**/*.svg', 'nodes/**/*.node.json', 'credentials/**/*.svg'], { base: '.' }).pipe(dest('dist')),
);
