/** The practice's reference lists: `GET /departments` and the valid card payment methods. */
import { isTrue } from './formats';
import { type ApiRequest, type Reply, type RouteSpec, ok, page } from './replies';
import { DEPARTMENTS, PAYMENT_METHODS, PORTAL_HIDDEN_DEPARTMENT_IDS } from './seed';

export function practiceRoutes(): RouteSpec[] {
	return [
		{ method: 'GET', path: '/departments', handler: getDepartments },
		{ method: 'GET', path: '/configuration/validnonccpcreditcardmethods', handler: getPaymentMethods },
	];
}

/** `showalldepartments=true` adds the portal-hidden ones. */
function getDepartments(request: ApiRequest): Reply {
	const all = isTrue(request.query.get('showalldepartments'));
	const listed = DEPARTMENTS.filter((d) => all || !PORTAL_HIDDEN_DEPARTMENT_IDS.includes(String(d.departmentid)));
	return page(request, 'departments', listed.map((d) => structuredClone(d)), '/departments');
}

function getPaymentMethods(): Reply {
	return ok({ paymentmethods: PAYMENT_METHODS.map((m) => ({ ...m })), totalcount: PAYMENT_METHODS.length });
}
