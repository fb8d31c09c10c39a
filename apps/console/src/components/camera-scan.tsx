import { Suspense, lazy, useState } from 'react';
import { useLanguage } from '../i18n/index.js';

// The decoder is large: it loads when a camera is first opened.
const CameraScanner = lazy(() => import('./camera-scanner.js'));

type CameraState = 'closed' | 'checking' | 'open' | 'none';

/**
 * The camera button of a register or a phone: opens the camera (a device
 * without one is told so before anything loads), reads the first QR code or
 * Code 128 it sees, and closes.
 */
export function CameraScan({ onRead, aim }: { onRead: (text: string) => void; aim: string }) {
  const { t } = useLanguage();
  const [camera, setCamera] = useState<CameraState>('closed');

  const openCamera = async () => {
    setCamera('checking');
    const devices = (await navigator.mediaDevices?.enumerateDevices?.().catch(() => [])) ?? [];
    setCamera(devices.some((device) => device.kind === 'videoinput') ? 'open' : 'none');
  };

  return (
    <div className="camera-scan">
      <button
        type="button"
        className="secondary"
        aria-expanded={camera === 'open'}
        disabled={camera === 'checking'}
        onClick={() => (camera === 'open' ? setCamera('closed') : void openCamera())}
      >
        {camera === 'open' ? t('camera.close') : t('camera.open')}
      </button>
      {camera === 'none' && (
        <p className="notice" role="status">
          {t('camera.none')}
        </p>
      )}
      {camera === 'open' && (
        <Suspense fallback={<p role="status">{t('camera.loading')}</p>}>
          <CameraScanner
            aim={aim}
            onRead={(text) => {
              setCamera('closed');
              onRead(text);
            }}
          />
        </Suspense>
      )}
    </div>
  );
}
