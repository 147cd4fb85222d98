import type { QrCodeDrawing } from "@/lib/server/qr-code";

/**
 * A QR code drawn from its parts (lib/server/qr-code.ts) as an inline SVG with an accessible
 * name. Always dark on white, in dark mode too: that is what cameras read best.
 */
export function QrCodeImage({ drawing, label }: { readonly drawing: QrCodeDrawing; readonly label: string }) {
  return (
    <svg
      role="img"
      aria-label={label}
      viewBox={`0 0 ${drawing.size} ${drawing.size}`}
      shapeRendering="crispEdges"
      className="block h-auto w-full max-w-56 rounded-md border border-slate-300"
    >
      <rect width={drawing.size} height={drawing.size} fill="#ffffff" />
      <path d={drawing.path} stroke="#000000" fill="none" />
    </svg>
  );
}
