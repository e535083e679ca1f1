/**
 * The backend report in one line, for the top of every notebook: which backend and device run, in which
 * mode. The full report (why faster backends were not used, tsgan's own kernels, threads) stays one call away.
 */
import type { BackendReport } from '../backend/initBackend';
import { isQuickMode } from '../host/quickMode';

/** e.g. "Backend: wasm on CPU (tfjs 4.22.0) · quick mode (TSGAN_QUICK=1) · details: console.log(gan.formatBackendReport(backend))". */
export function backendLine(report: BackendReport): string {
  if (typeof report !== 'object' || report === null || typeof report.backend !== 'string') {
    throw new Error('backendLine(report): pass the report that `await gan.initBackend()` returns.');
  }
  const forced = report.forced ? `, forced by ${report.forcedBy ?? 'TSGAN_BACKEND'}` : '';
  const mode = isQuickMode() ? 'quick mode (TSGAN_QUICK=1)' : 'full mode';
  // A GPU package that loaded but found no GPU is the one note nobody should miss.
  const warning = report.notes.some((n) => n.startsWith('tfjs-node-gpu loaded but')) ? ' · warning: no usable GPU' : '';
  return (
    `Backend: ${report.backend} on ${report.device} (tfjs ${report.tfjsVersion}${forced}) · ${mode}${warning} · ` +
    'details: console.log(gan.formatBackendReport(backend))'
  );
}
