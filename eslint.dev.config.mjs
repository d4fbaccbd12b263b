// The dev-only TypeScript (bench/, scripts/, test/): never shipped, so not under n8n's community-node rules.
//   npm run lint:dev   (eslint -c eslint.dev.config.mjs bench scripts test)
// eslint.config.mjs stays byte-for-byte n8n's default (strict mode); that config lints the whole repo (`eslint .`),
// so each dev file names the rules turned off below in a one-line eslint-disable header, keeping `n8n-node lint` green.
import { config } from '@n8n/node-cli/eslint';

const DEV_FILES = ['bench/**/*.ts', 'scripts/**/*.ts', 'test/**/*.ts'];

// Every n8n community-node rule the default config turns on (Cloud rules included): they are about code running in n8n.
const communityNodeRulesOff = Object.fromEntries(
	config
		.flatMap((block) => Object.keys(block.rules ?? {}))
		.filter((rule) => rule.startsWith('@n8n/community-nodes/') || rule.startsWith('n8n-nodes-base/'))
		.map((rule) => [rule, 'off']),
);

export default [
	...config,
	{
		files: DEV_FILES,
		// The headers name rules that are off here: not "unused" in this run.
		linterOptions: { reportUnusedDisableDirectives: 'off' },
		rules: {
			...communityNodeRulesOff,
			// CLIs and test reporters print; JSON from n8n's REST API and CLI is untyped.
			'no-console': 'off',
			'@typescript-eslint/no-explicit-any': 'off',
		},
	},
];
