/** The one function of fontkit (pdfkit's font engine; it ships no types) that infra/pdf uses. */
declare module 'fontkit' {
  /** A parsed font; pdfkit takes it in place of the file's bytes. */
  export interface Font {
    layout(text: string): unknown;
  }
  export function create(buffer: Uint8Array, postscriptName?: string): Font;
}
