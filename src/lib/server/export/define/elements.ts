// Small pieces of define.xml that several of its parts write: descriptions, origins and OIDs.
import type { CodelistId, DatasetSpec, VariableSpec } from '../../../domain/sdtm';
import { el, textEl, type Markup } from '../xml';

const translated = (text: string) => textEl('TranslatedText', text, { 'xml:lang': 'en' });
export const description = (text: string) => el('Description', {}, translated(text));

export const itemOid = (ds: DatasetSpec, v: VariableSpec) => `IT.${ds.name}.${v.name}`;
export const methodOid = (ds: DatasetSpec, v: VariableSpec) => `MT.${ds.name}.${v.name}`;
export const codelistOid = (id: CodelistId) => `CL.${id}`;

export function origin(v: VariableSpec): Markup {
	const o = v.origin;
	return el('def:Origin', { Type: o.type, Source: o.type === 'Collected' ? o.source : 'Sponsor' });
}
