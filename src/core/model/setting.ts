/**
 * One setting of a configuration file, whatever its format: what every reader (properties, XML, and later YAML and env
 * files) yields and what the store rules run on. The value is decoded as the product sees it; the source map leads
 * each of its characters back to the document, so findings and fixes land on the text the user wrote.
 */
import { SourceMap } from '../text/sourceMap';

export interface Setting {
  /** The setting's name as the product sees it (a properties key, an element or property name). */
  readonly key: string;
  /** The decoded value (properties escapes or XML entities and CDATA resolved). */
  readonly value: string;
  readonly valueMap: SourceMap;
  /** Document range of the whole setting (a properties logical line, an XML element). */
  readonly start: number;
  readonly end: number;
  /** Document range of the name. */
  readonly keyStart: number;
  readonly keyEnd: number;
  /** Raw document range of the value; empty when there is no value. */
  readonly valueStart: number;
  readonly valueEnd: number;
  /** True when the raw value differs from the decoded one (escapes, entities, continuation lines). */
  readonly valueHasEscapes: boolean;
}
