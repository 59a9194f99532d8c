/** The CLI's JSON outputs, typed for tests (the contracts in src/cli). */
import type { Log } from 'sarif';
import type { VerifyReport } from '../../src/cli/main';
import type { Report } from '../../src/cli/report';

export const verifyReport = (text: string): VerifyReport => JSON.parse(text) as VerifyReport;
export const checkReport = (text: string): Report => JSON.parse(text) as Report;
export const sarifLog = (text: string): Log => JSON.parse(text) as Log;
