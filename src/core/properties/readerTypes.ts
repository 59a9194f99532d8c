/** What the properties reader yields (core/properties/reader.ts). */
import { SourceMap } from '../text/sourceMap';
import { Setting } from '../model/setting';

export interface ReaderProblem {
  readonly kind: 'malformed-unicode';
  readonly start: number;
  readonly end: number;
}

/** A properties entry: a setting, plus where its key came from and what the reader found wrong in it. */
export interface PropertyEntry extends Setting {
  readonly keyMap: SourceMap;
  /** `value.startsWith(prefix)`, without unescaping the value when the raw text decides it. */
  valueStartsWith(prefix: string): boolean;
  readonly problems: readonly ReaderProblem[];
}
