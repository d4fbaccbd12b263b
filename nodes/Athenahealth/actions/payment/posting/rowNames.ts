import type { IExecuteFunctions } from 'n8n-workflow';

/**
 * How a message names a row: as people count the rows of their sheet. Row 1 is the first data row (n8n's item 0),
 * unless the Row Number option names a column (e.g. `{{ $json.row }}`), whose value is used as it is.
 */
export function rowNamer(context: IExecuteFunctions, optionPath: string): (itemIndex: number) => string {
	const names = new Map<number, string>();
	return (itemIndex) => {
		let name = names.get(itemIndex);
		if (name === undefined) {
			let named: unknown = '';
			try {
				named = context.getNodeParameter(optionPath, itemIndex, '');
			} catch {
				// An expression that fails on this row: fall back to the position.
			}
			const text = typeof named === 'number' || typeof named === 'string' ? String(named).trim() : '';
			name = `row ${text || itemIndex + 1}`;
			names.set(itemIndex, name);
		}
		return name;
	};
}
