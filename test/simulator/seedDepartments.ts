/** The seeded practice's departments (as recorded on GET /departments) and its payment methods. */

export const DEPARTMENT_MAIN = '1';
export const DEPARTMENT_PEDIATRICS = '21';
export const DEPARTMENT_CARDIOLOGY = '62';
export const DEPARTMENT_DERMATOLOGY = '82';
export const DEPARTMENT_IDS: readonly string[] = [
	DEPARTMENT_MAIN,
	DEPARTMENT_PEDIATRICS,
	DEPARTMENT_CARDIOLOGY,
	DEPARTMENT_DERMATOLOGY,
];
export const UNKNOWN_DEPARTMENT_ID = '999';
/** Hidden from the patient portal: athena lists it only with showalldepartments=true. Payments can be posted in it. */
export const DEPARTMENT_PORTAL_HIDDEN = '150';
export const PORTAL_HIDDEN_DEPARTMENT_IDS: readonly string[] = [DEPARTMENT_PORTAL_HIDDEN];
/** Provider group 1 holds departments 1, 21 and 150; group 2 holds 62 and 82. */
export const PROVIDER_GROUP_OF_DEPARTMENT: Readonly<Record<string, string>> = {
	'1': '1',
	'21': '1',
	'62': '2',
	'82': '2',
	'150': '1',
};
export const DEPARTMENT_LIST_OF_GROUP: Readonly<Record<string, string>> = { '1': '1,21,150', '2': '62,82' };

/**
 * athena's current UTC offset of a time zone, daylight saving included: what athena sends as `timezone` (-4 for
 * Eastern in summer), while `timezoneoffset` stays the standard offset (-5).
 */
export function currentUtcOffset(timeZone: string, at = Date.now()): number {
	const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'shortOffset' }).formatToParts(new Date(at)).find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
	const match = /GMT([+-]\d+)?/.exec(name);
	return match?.[1] ? Number(match[1]) : 0;
}

interface DepartmentSpec {
	departmentid: string;
	name: string;
	group: '1' | '2';
	timezonename: string;
	standardOffset: number;
	/** Absent on about half the recorded departments: then the department takes no e-commerce cards. */
	ecommercecreditcardtypes?: string[];
	creditcardtypes?: string[];
	address: string;
	city: string;
	state: string;
	zip: string;
	phone: string;
	clinicals: 'ON' | 'OFF';
	placeofservicefacility: boolean;
}

const GROUP_NAMES: Record<string, string> = { '1': 'Preview Medical Group', '2': 'Preview Heart Partners' };

const DEPARTMENT_SPECS: DepartmentSpec[] = [
	{ departmentid: '1', name: 'Preview Family Medicine', group: '1', timezonename: 'America/New_York', standardOffset: -5, ecommercecreditcardtypes: ['AX', 'DS', 'MC', 'VI'], creditcardtypes: ['AX', 'DS', 'MC', 'VI'], address: '311 Arsenal St', city: 'WATERTOWN', state: 'MA', zip: '02472', phone: '(617) 555-0100', clinicals: 'ON', placeofservicefacility: false },
	{ departmentid: '21', name: 'Preview Pediatrics', group: '1', timezonename: 'America/New_York', standardOffset: -5, ecommercecreditcardtypes: ['MC', 'VI'], address: '100 Main St', city: '', state: 'MA', zip: '02478', phone: '(617) 555-0121', clinicals: 'ON', placeofservicefacility: false },
	{ departmentid: '62', name: 'Preview Cardiology', group: '2', timezonename: 'America/Chicago', standardOffset: -6, ecommercecreditcardtypes: ['AX', 'DS', 'MC', 'VI'], creditcardtypes: ['AX', 'MC', 'VI'], address: '2 Lake Shore Dr', city: 'CHICAGO', state: 'IL', zip: '60601', phone: '(312) 555-0162', clinicals: 'ON', placeofservicefacility: true },
	{ departmentid: '82', name: 'Preview Dermatology', group: '2', timezonename: 'America/Chicago', standardOffset: -6, creditcardtypes: ['MC', 'VI'], address: '40 Wacker Dr', city: '', state: 'IL', zip: '60606', phone: '(312) 555-0182', clinicals: 'OFF', placeofservicefacility: false },
	{ departmentid: '150', name: 'Preview Billing Office', group: '1', timezonename: 'America/New_York', standardOffset: -5, address: '311 Arsenal St', city: 'WATERTOWN', state: 'MA', zip: '02472', phone: '(617) 555-0150', clinicals: 'OFF', placeofservicefacility: false },
];

/** A department as athena sends it (types as recorded: IDs strings, offsets numbers, flags booleans, card codes arrays). */
function departmentRecord(d: DepartmentSpec): Readonly<Record<string, unknown>> {
	return Object.freeze({
		departmentid: d.departmentid,
		name: d.name,
		patientdepartmentname: d.name,
		providergroupid: d.group,
		providergroupname: GROUP_NAMES[d.group],
		timezone: currentUtcOffset(d.timezonename),
		timezonename: d.timezonename,
		timezoneoffset: d.standardOffset,
		...(d.ecommercecreditcardtypes ? { ecommercecreditcardtypes: [...d.ecommercecreditcardtypes] } : {}),
		...(d.creditcardtypes ? { creditcardtypes: [...d.creditcardtypes] } : {}),
		address: d.address,
		city: d.city,
		state: d.state,
		zip: d.zip,
		phone: d.phone,
		clinicals: d.clinicals,
		communicatorbrandid: d.group,
		chartsharinggroupid: d.group,
		placeofservicetypeid: '11',
		placeofservicetypename: 'OFFICE',
		placeofservicefacility: d.placeofservicefacility,
		medicationhistoryconsent: false,
		ishospitaldepartment: false,
		servicedepartment: true,
		doesnotobservedst: false,
		latitude: d.group === '1' ? '42.36' : '41.88',
		longitude: d.group === '1' ? '-71.18' : '-87.63',
		oneyearcontractmax: '1000',
		singleappointmentcontractmax: '250',
	});
}

/** Every department, portal-hidden ones included (GET /departments?showalldepartments=true). */
export const DEPARTMENTS: ReadonlyArray<Readonly<Record<string, unknown>>> = DEPARTMENT_SPECS.map(departmentRecord);

// ---------------------------------------------------------------- payment methods
export const PAYMENT_METHODS: ReadonlyArray<{ name: string; paymentmethod: string }> = [
	{ name: 'American Express', paymentmethod: 'AMEX' },
	{ name: 'MasterCard and Visa', paymentmethod: 'MC/VISA' },
	{ name: 'Discover', paymentmethod: 'DISCOVER' },
];
export const CARD_PAYMENT_METHOD_CODES: readonly string[] = PAYMENT_METHODS.map((m) => m.paymentmethod);
export const NON_CARD_PAYMENT_METHODS: readonly string[] = ['CASH', 'CHECK'];
