// n8n resolves a `file:` icon of every version relative to the package's main node file (Athenahealth.node.ts), so
// the SVGs stay next to it and each version's description points here rather than naming its own copy.
export const athenahealthIcon = {
	light: 'file:athenahealth.svg',
	dark: 'file:athenahealth.dark.svg',
} as const;
