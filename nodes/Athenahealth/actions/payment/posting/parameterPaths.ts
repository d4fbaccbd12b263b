import type { IExecuteFunctions } from 'n8n-workflow';

/** Settings that version 2 moved under Options (postingOptions); version 1 keeps them at the top, as saved. */
type MovedSetting = 'validateOnly' | 'duplicateCheck' | 'rowReference' | 'postAgain' | 'postDate';

/** Where a posting setting lives in this node's version: a saved v1 workflow reads exactly the paths it saved. */
export function postingParameterPath(context: IExecuteFunctions, name: MovedSetting): string {
	return context.getNode().typeVersion >= 2 ? `postingOptions.${name}` : name;
}

export const ROW_NUMBER_PATH = 'postingOptions.rowNumber';
