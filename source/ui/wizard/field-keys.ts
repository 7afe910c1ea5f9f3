/**
 * What a key does to the focused field: text is edited, selects and toggles change with
 * ←/→ or Space, a checklist moves with ←/→ and ticks with Space. Pure.
 */
import type {Key} from 'ink';
import {editText, editTextAt} from '../text-edit.ts';
import type {InputField} from './fields.ts';
import type {WizardForm} from './form.ts';

export interface FieldEdit {
	form: WizardForm;
	/** Position inside a checklist. */
	cursor: number;
}

function cycle<T>(items: readonly T[], current: number, step: number): T {
	return items[(current + step + items.length) % items.length];
}

/** The form after `input`/`key` on `field`, or undefined when the key is not for the field. */
export function applyFieldKey(field: InputField, form: WizardForm, input: string, key: Key, cursor: number): FieldEdit | undefined {
	const step = key.leftArrow ? -1 : (key.rightArrow || input === ' ' ? 1 : 0);
	switch (field.kind) {
		case 'text':
		case 'secret': {
			// A caret where the value is shown as typed; at the end where it is masked.
			if (field.kind === 'text' && !field.display) {
				const edited = editTextAt(field.get(form), cursor, input, key);
				return edited === undefined ? undefined : {form: edited.value === field.get(form) ? form : field.set(form, edited.value), cursor: edited.back};
			}

			const value = editText(field.get(form), input, key);
			return value === undefined ? undefined : {form: field.set(form, value), cursor};
		}

		case 'select': {
			if (step === 0) {
				return undefined;
			}

			const values = field.options.map(option => option.value);
			return {form: field.set(form, cycle(values, Math.max(0, values.indexOf(field.get(form))), step)), cursor};
		}

		case 'toggle': {
			return step === 0 ? undefined : {form: field.set(form, !field.get(form)), cursor};
		}

		case 'checklist': {
			if (key.leftArrow || key.rightArrow) {
				return {form, cursor: Math.min(field.options.length - 1, Math.max(0, cursor + step))};
			}

			if (input !== ' ') {
				return undefined;
			}

			const value = field.options[Math.min(cursor, field.options.length - 1)].value;
			const checked = field.get(form);
			const next = checked.includes(value) ? checked.filter(item => item !== value) : [...checked, value];
			return {form: field.set(form, next), cursor};
		}
	}
}
