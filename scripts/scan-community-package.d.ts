// Types for the parts of n8n's scanner that scripts/scan.ts uses (the package ships plain .mjs, no declarations).
declare module '@n8n/scan-community-package/scanner/scanner.mjs' {
	export interface AnalyzeResult {
		passed: boolean;
		message?: string;
		details?: string;
	}
	/** ESLint with n8n's community-node rules over `packageDir` (default patterns: every .js, .ts and .json file). */
	export function analyzePackage(packageDir: string, filePatterns?: string[]): Promise<AnalyzeResult>;
	/** The files n8n scans in a package's source checkout. */
	export const SOURCE_FILE_PATTERNS: string[];
}
