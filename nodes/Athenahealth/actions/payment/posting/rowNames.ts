import type { IExecuteFunctions } from 'n8n-workflow';

/** How messages name a row ("row 7") and the number the row's `row` field shows (7), which agree. */
interface RowName {
	name: string;
	/** A number when the row is named by digits (its position, or a Row Number column of digits), else the column's text. */
	row: number | string;
}

/**
 * How a message names a row: as people count the rows of their sheet. Row 1 is the first data row (n8n's item 0),
 * unless the Row Number option names a column (e.g. `{{ $json.row }}`), whose value is used as it is.
 */
export function rowNamer(
	context: IExecuteFunctions,
	optionPath: string,
): (itemIndex: number) => RowName {
	const names = new Map<number, RowName>();
	return (itemIndex) => {
		let name = names.get(itemIndex);
		if (name === undefined) {
			let named: unknown = '';
			try {
				named = context.getNodeParameter(optionPath, itemIndex, '');
			} catch {
				// An expression that fails on this row: fall back to the position.
			}
			const text =
				(typeof named === 'number' || typeof named === 'string' ? String(named).trim() : '') ||
				String(itemIndex + 1);
			name = { name: `row ${text}`, row: /^(0|[1-9]\d{0,14})$/.test(text) ? Number(text) : text };
			names.set(itemIndex, name);
		}
		return name;
	};
}
