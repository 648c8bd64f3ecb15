// Colours of the session charts. Level colours match the flag boxes in vigil.css; each measure also
// has its own point shape, so no series is told apart by colour alone.
import type { FlagLevel, VitalMeasure } from '$lib/domain/protocol/codes';

export const LEVEL_COLOURS: Record<FlagLevel, string> = {
	notify: '#8a6d00',
	action: '#b34700',
	urgent: '#8b0000'
};

/** Translucent fills for threshold bands. */
export const LEVEL_FILLS: Record<FlagLevel, string> = {
	notify: 'rgba(138, 109, 0, 0.08)',
	action: 'rgba(179, 71, 0, 0.10)',
	urgent: 'rgba(139, 0, 0, 0.12)'
};

export const MEASURE_STYLE: Record<VitalMeasure, { colour: string; point: string; label: string }> =
	{
		systolic: { colour: '#0b5d6b', point: 'triangle', label: 'Systolic (mmHg)' },
		diastolic: { colour: '#6a3d9a', point: 'rectRot', label: 'Diastolic (mmHg)' },
		heartRate: { colour: '#1f4e9c', point: 'circle', label: 'Heart rate (bpm)' },
		temperature: { colour: '#0b5d6b', point: 'circle', label: 'Temperature (°C)' }
	};

export const LEVEL_RANK: Record<FlagLevel, number> = { notify: 1, action: 2, urgent: 3 };
