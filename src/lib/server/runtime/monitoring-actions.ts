// The form actions a record's page adds for monitoring; MonitoringPanel posts to them. Failures
// come back as field errors under `which: 'query' | 'query-step' | 'sdv'`.
import type { RequestEvent } from '@sveltejs/kit';
import type { RecordType } from '../../domain/monitoring/fields';
import { queryStep, raiseQuery } from '../services/monitoring/queries';
import { verifySource } from '../services/monitoring/sdv';
import { contextOf, formAction, recordId } from './http';

type Event = Pick<RequestEvent, 'request' | 'locals' | 'params'>;
const STEPS = ['answer', 'close', 'reopen', 'cancel'] as const;

export function monitoringActions(entityType: RecordType, idOf: (e: Event) => number) {
	return {
		raiseQuery: async (event: Event) => {
			const form = await event.request.formData();
			return formAction(
				form,
				async () => {
					await raiseQuery(contextOf(event), {
						entityType,
						entityId: idOf(event),
						field: form.get('field'),
						text: form.get('text'),
						expectedValue: form.get('expectedValue')
					});
					return { queryRaised: true as const };
				},
				'query'
			);
		},
		queryStep: async (event: Event) => {
			const form = await event.request.formData();
			const step = STEPS.find((s) => s === form.get('step')) ?? 'answer';
			return formAction(
				form,
				async () => {
					await queryStep(contextOf(event), recordId(form.get('queryId')), step, {
						text: form.get('text')
					});
					return { queryStepped: step };
				},
				`query-${String(form.get('queryId'))}`
			);
		},
		verify: async (event: Event) => {
			const form = await event.request.formData();
			return formAction(
				form,
				async () => {
					await verifySource(contextOf(event), {
						entityType,
						entityId: idOf(event),
						field: form.get('field'),
						source: form.get('source')
					});
					return { verified: true as const };
				},
				'sdv'
			);
		}
	};
}
