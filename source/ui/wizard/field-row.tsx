/**
 * One wizard field: marker, label, value (secrets masked), and its error beneath.
 */
import {Box, Text} from 'ink';
import {mask} from '../text-edit.ts';
import {useTheme} from '../theme.ts';
import type {FieldSpec} from './fields.ts';
import type {WizardForm} from './form.ts';

/** Width of the label column. */
export const labelWidth = 24;

interface Props {
	field: FieldSpec;
	form: WizardForm;
	focused: boolean;
	/** Position inside a checklist. */
	cursor: number;
	error?: string;
}

function Value({field, form, focused, cursor}: Props) {
	const theme = useTheme();
	switch (field.kind) {
		case 'heading': {
			return null;
		}

		case 'text':
		case 'secret': {
			const value = field.get(form);
			if (value === '') {
				// The caret sits on the placeholder's first character, so the column stays aligned.
				const placeholder = field.placeholder || ' ';
				return focused
					? <Text><Text inverse>{placeholder[0]}</Text><Text dimColor>{placeholder.slice(1)}</Text></Text>
					: <Text dimColor>{placeholder}</Text>;
			}

			if (focused && field.kind === 'text' && !field.display && cursor > 0) {
				// The caret on the character it stands before (`cursor` characters from the end).
				const at = Math.max(0, value.length - cursor);
				return <Text>{value.slice(0, at)}<Text inverse>{value[at]}</Text>{value.slice(at + 1)}</Text>;
			}

			return <Text>{field.kind === 'secret' ? mask(value) : (field.display?.(value) ?? value)}{focused ? <Text inverse> </Text> : null}</Text>;
		}

		case 'select': {
			const label = field.options.find(option => option.value === field.get(form))?.label ?? field.get(form);
			return focused ? <Text color={theme.accent}>‹ {label} ›</Text> : <Text>{label}</Text>;
		}

		case 'toggle': {
			const on = field.get(form);
			return <Text color={focused ? theme.accent : undefined}>{on ? '[x] on' : '[ ] off'}</Text>;
		}

		case 'checklist': {
			const checked = field.get(form);
			return (
				<Text>
					{field.options.map((option, index) => (
						<Text key={option.value} inverse={focused && index === cursor}>
							{index > 0 ? '  ' : ''}{checked.includes(option.value) ? '[x]' : '[ ]'} {option.label}
						</Text>
					))}
					<Text dimColor>{checked.length === 0 ? '  (none ticked: all)' : ''}</Text>
				</Text>
			);
		}
	}
}

export function FieldRow(props: Props) {
	const theme = useTheme();
	const {field, focused, error} = props;
	const indent = field.indent ? '  ' : '';
	if (field.kind === 'heading') {
		return <Text bold>{`  ${indent}${field.label}`}</Text>;
	}

	return (
		<Box flexDirection="column">
			<Text wrap="truncate-end">
				<Text color={focused ? theme.accent : undefined}>{focused ? '› ' : '  '}</Text>
				{(indent + field.label).padEnd(labelWidth)}
				<Value {...props} />
			</Text>
			{error ? <Text color={theme.error}>{`    ✗ ${error}`}</Text> : null}
		</Box>
	);
}
