/**
 * Visualisation for notebooks and the CLI: plotly figures drawn offline, PNG grids of digits, a progress
 * display and a live training view that update one output in place. Safe in plain node (no-ops there).
 */
export { inKernel, canDisplay, setDisplaySink, newOutputArea, showHtml } from './display';
export type { DisplayMessage, DisplaySink, OutputArea } from './display';
export * from './figure';
export * from './plotly';
export * from './png';
export * from './progress';
export * from './liveView';
export * from './plane';
export * from './figure1';
export * from './watchedTraining';
export * from './animation';
export * from './frames';
export * from './multiples';
export * from './paperFigures';
