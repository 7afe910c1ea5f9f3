/**
 * Colours, or none: NO_COLOR (https://no-color.org) turns every colour off. Neither Ink nor
 * chalk reads NO_COLOR, so components take their colours from here and never pass one directly.
 */
import {createContext, useContext} from 'react';

export interface Theme {
	accent?: string;
	ok?: string;
	warn?: string;
	error?: string;
	muted?: string;
}

const colours: Theme = {accent: 'cyan', ok: 'green', warn: 'yellow', error: 'red', muted: 'gray'};

/** The theme for an environment: no colours at all when NO_COLOR is set and not empty. */
export function themeFor(env: Record<string, string | undefined>): Theme {
	return env['NO_COLOR'] ? {} : colours;
}

export const ThemeContext = createContext<Theme>(colours);

/** The current theme; every field is undefined under NO_COLOR. */
export function useTheme(): Theme {
	return useContext(ThemeContext);
}
