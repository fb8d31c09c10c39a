import { useEffect, useRef, useState } from 'react';
import { useLanguage } from '../../i18n/index.js';

type Decoder = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;

/**
 * Reads a QR from the phone's camera. The decoder (jsQR) is loaded only when
 * the camera opens, so it costs the first load nothing.
 */
export function QrScanner({ onRead, onClose }: { onRead: (text: string) => void; onClose: () => void }) {
  const { t } = useLanguage();
  const video = useRef<HTMLVideoElement>(null);
  const [state, setState] = useState<'starting' | 'scanning' | 'no-camera' | 'denied'>('starting');

  useEffect(() => {
    let stream: MediaStream | null = null;
    let frame = 0;
    let stopped = false;
    const start = async () => {
      if (!navigator.mediaDevices?.getUserMedia) return setState('no-camera');
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
      } catch (error) {
        const name = error instanceof DOMException ? error.name : '';
        return setState(name === 'NotAllowedError' || name === 'SecurityError' ? 'denied' : 'no-camera');
      }
      // jsqr is CommonJS: its function is the default export, or that export's own default.
      const loaded = (await import('jsqr')) as unknown as { default: Decoder | { default: Decoder } };
      const jsQR = typeof loaded.default === 'function' ? loaded.default : loaded.default.default;
      if (stopped || !video.current) return;
      video.current.srcObject = stream;
      await video.current.play().catch(() => undefined);
      setState('scanning');
      const canvas = document.createElement('canvas');
      const context = canvas.getContext('2d', { willReadFrequently: true });
      const tick = () => {
        if (stopped) return;
        const v = video.current;
        if (v && context && v.videoWidth > 0) {
          canvas.width = v.videoWidth;
          canvas.height = v.videoHeight;
          context.drawImage(v, 0, 0);
          const found = jsQR(context.getImageData(0, 0, canvas.width, canvas.height).data, canvas.width, canvas.height);
          if (found?.data) return onRead(found.data);
        }
        frame = requestAnimationFrame(tick);
      };
      frame = requestAnimationFrame(tick);
    };
    void start();
    return () => {
      stopped = true;
      cancelAnimationFrame(frame);
      stream?.getTracks().forEach((track) => track.stop());
    };
  }, [onRead]);

  return (
    <div className="scanner">
      <video ref={video} muted playsInline aria-label={t('money.scan.video')} hidden={state !== 'scanning'} />
      <p role="status">
        {state === 'starting' && t('money.scan.starting')}
        {state === 'scanning' && t('money.scan.scanning')}
        {state === 'no-camera' && t('money.scan.noCamera')}
        {state === 'denied' && t('money.scan.denied')}
      </p>
      <button type="button" className="secondary" onClick={onClose}>
        {t('money.scan.close')}
      </button>
    </div>
  );
}
