/** Small statistics for the benchmark: medians and a least-squares line. */

export function median(values: number[]): number {
	const finite = values.filter((value) => Number.isFinite(value));
	if (!finite.length) return Number.NaN;
	const sorted = [...finite].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export interface Line {
	slope: number;
	intercept: number;
	/** Coefficient of determination of the fit. */
	r2: number;
}

/** Ordinary least squares y = slope·x + intercept. */
export function leastSquares(xs: number[], ys: number[]): Line {
	const n = xs.length;
	const meanX = xs.reduce((sum, x) => sum + x, 0) / n;
	const meanY = ys.reduce((sum, y) => sum + y, 0) / n;
	let sxx = 0;
	let sxy = 0;
	let syy = 0;
	for (let i = 0; i < n; i++) {
		sxx += (xs[i] - meanX) ** 2;
		sxy += (xs[i] - meanX) * (ys[i] - meanY);
		syy += (ys[i] - meanY) ** 2;
	}
	const slope = sxx === 0 ? Number.NaN : sxy / sxx;
	const intercept = meanY - slope * meanX;
	const r2 = syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);
	return { slope, intercept, r2 };
}

/** Fixed decimals, or "—" for a missing value. */
export function fmt(value: number | undefined, decimals = 1): string {
	return value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(decimals);
}

/** a / b as "0.93x", "—" when either is missing, "=" when both are 0. */
export function ratio(a: number | undefined, b: number | undefined): string {
	if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b)) return '—';
	if (a === 0 && b === 0) return '=';
	if (b === 0) return '∞';
	return `${(a / b).toFixed(2)}x`;
}
