/* eslint-disable @n8n/community-nodes/no-restricted-globals -- dev-only code, never shipped: rules that eslint.dev.config.mjs turns off outside nodes/ and credentials/ */
/** The settings of the runs in a real n8n (bench/n8n/run.ts, overlap.ts), read from the environment. */

/** A comma-separated list ("sqlite, postgres"), blanks dropped. */
export function envList(name: string, fallback: string): string[] {
	return (process.env[name] ?? fallback)
		.split(',')
		.map((s) => s.trim())
		.filter(Boolean);
}

export function envInt(name: string, fallback: number, min = 0): number {
	const value = Number(process.env[name] ?? fallback);
	if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer ≥ ${min}`);
	return value;
}

/** The settings a run was given (`NAME=value …`, the variables `keep` names), as a report's command line shows them. */
export function settingsGiven(keep: (name: string) => boolean): string {
	return Object.entries(process.env)
		.filter(([name]) => keep(name))
		.map(([name, value]) => `${name}=${value}`)
		.join(' ');
}
