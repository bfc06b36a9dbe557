import type { IncomingMessage, ServerResponse } from 'node:http';
import { postSigned } from '../deliveries/signed-request.js';
import { escapeHtml, readBody, readSigned, sendHtml, sendJson, startLocalServer } from '../demo-peers/http.js';
import type { PostalEventReport, PostalOrderRequest } from '../postal/post-office.js';

export interface MockPostalOrder {
  request: PostalOrderRequest;
  trackingCode: string;
  state: PostalEventReport['state'];
  receivedAt: string;
  /** How many times the order arrived (a retried delivery arrives again and is kept once). */
  deliveries: number;
  /** The answer of our server to the last state report. */
  lastCallback: string | null;
}

export interface PostOfficeMock {
  port: number;
  /** What POSTAL_URL names. */
  url: string;
  orders(): MockPostalOrder[];
  /** The post reaches a state and reports it to the order's callback URL; resolves with the HTTP status it got. */
  advance(orderId: string, state: 'accepted' | 'delivered'): Promise<number>;
  /** The next n orders fail with 503 before anything is kept (a post office that is down). */
  failNext(n: number): void;
  close(): Promise<void>;
}

/**
 * A stand-in for the post office (VNPost-style order API) for the demo and the tests: it checks each order's
 * signature, keeps it once by its Idempotency-Key and answers a tracking code; its page (`GET /`) lists the orders
 * with buttons that move each one on — "Đã nhận bưu gửi" (accepted), "Đã phát" (delivered) — each reported back
 * to the order's callback URL, signed. Listens on loopback only.
 */
export async function startPostOfficeMock(options: { port: number; host?: string; secret: string }): Promise<PostOfficeMock> {
  const orders = new Map<string, MockPostalOrder>();
  let failures = 0;

  async function report(order: MockPostalOrder, state: 'accepted' | 'delivered'): Promise<number> {
    const event: PostalEventReport = { eventId: `${order.request.orderId}:${state}`, orderId: order.request.orderId, trackingCode: order.trackingCode, state, at: new Date().toISOString() };
    try {
      const response = await postSigned(order.request.callbackUrl, { secret: options.secret, key: event.eventId, body: JSON.stringify(event), timeoutMs: 10_000 });
      order.lastCallback = `HTTP ${response.status}: ${(await response.text()).slice(0, 200)}`;
      if (response.ok) order.state = state;
      return response.status;
    } catch (err) {
      order.lastCallback = (err as Error).message;
      return 0;
    }
  }

  async function placeOrder(req: IncomingMessage, res: ServerResponse) {
    const signed = await readSigned(req, res, options.secret);
    if (!signed) return;
    const { key, body } = signed;
    if (failures > 0) {
      failures--;
      return sendJson(res, 503, { error: 'Hệ thống bưu chính tạm thời gián đoạn / post office unavailable (mock)' });
    }
    const request = JSON.parse(body) as PostalOrderRequest;
    if (request.orderId !== key) return sendJson(res, 400, { error: 'orderId must equal the Idempotency-Key' });
    const known = orders.get(key);
    if (known) known.deliveries++;
    else {
      const trackingCode = `EV${String(100_000_000 + orders.size * 7_919 + Math.floor(Math.random() * 7_000)).slice(-9)}VN`;
      orders.set(key, { request, trackingCode, state: 'awaiting-confirmation', receivedAt: new Date().toISOString(), deliveries: 1, lastCallback: null });
    }
    return sendJson(res, 200, { trackingCode: orders.get(key)!.trackingCode, duplicate: known !== undefined });
  }

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL) {
    if (req.method === 'POST' && url.pathname === '/orders') return placeOrder(req, res);
    if (req.method === 'GET' && url.pathname === '/__orders') return sendJson(res, 200, [...orders.values()]);
    const advance = /^\/orders\/([^/]+)\/advance$/.exec(url.pathname);
    if (req.method === 'POST' && advance) {
      const order = orders.get(decodeURIComponent(advance[1]!));
      const state = new URLSearchParams(await readBody(req)).get('state');
      if (!order || (state !== 'accepted' && state !== 'delivered')) return sendJson(res, 404, { error: 'no such order or state' });
      await report(order, state);
      res.writeHead(303, { location: '/' }).end();
      return;
    }
    if (req.method === 'GET' && url.pathname === '/') return sendHtml(res, 200, ordersPage([...orders.values()]));
    return sendJson(res, 404, { error: 'not found' });
  }

  const server = await startLocalServer(handle, { port: options.port, host: options.host });
  return {
    port: server.port,
    url: server.origin,
    orders: () => [...orders.values()],
    advance: async (orderId, state) => {
      const order = orders.get(orderId);
      if (!order) throw new Error(`no order ${orderId}`);
      return report(order, state);
    },
    failNext: (n) => {
      failures = n;
    },
    close: () => server.close(),
  };
}

const DIRECTION = { collection: 'Thu gom hồ sơ / collection', return: 'Chuyển trả kết quả / result' };
const STATE = { 'awaiting-confirmation': 'Chờ xác nhận / awaiting confirmation', accepted: 'Đã nhận bưu gửi / accepted', delivered: 'Đã phát / delivered' };

function ordersPage(orders: MockPostalOrder[]) {
  const rows = orders
    .map((o) => {
      const next = o.state === 'awaiting-confirmation' ? ['accepted', 'Đã nhận bưu gửi'] : o.state === 'accepted' ? ['delivered', 'Đã phát'] : null;
      const button = next
        ? `<form method="post" action="/orders/${encodeURIComponent(o.request.orderId)}/advance"><input type="hidden" name="state" value="${next[0]}"><button>${next[1]}</button></form>`
        : '';
      return `<tr><td>${escapeHtml(o.trackingCode)}</td><td>${escapeHtml(o.request.dossierCode)}</td><td>${DIRECTION[o.request.direction]}</td>
<td>${escapeHtml(o.request.party.name)}<br>${escapeHtml(o.request.party.phone)}<br>${escapeHtml(o.request.party.address)}</td><td>${STATE[o.state]}</td><td>${button}<small>${escapeHtml(o.lastCallback ?? '')}</small></td></tr>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Bưu điện thử nghiệm / demo post office</title>
<style>body{font-family:system-ui,sans-serif;margin:1rem;color:#111}table{border-collapse:collapse;width:100%}
td,th{border:1px solid #ccc;padding:.5rem;text-align:left;vertical-align:top}button{padding:.5rem 1rem;font-size:1rem}</style>
</head><body><h1>Bưu điện thử nghiệm <small>/ demo post office</small></h1>
<p>Các bưu gửi hệ thống đã đặt; nút bấm chuyển bưu gửi sang trạng thái kế tiếp và báo lại cho hệ thống.</p>
<table><thead><tr><th>Mã bưu gửi</th><th>Hồ sơ</th><th>Dịch vụ</th><th>Người gửi/nhận</th><th>Trạng thái</th><th></th></tr></thead>
<tbody>${rows || '<tr><td colspan="6">Chưa có bưu gửi / no orders yet</td></tr>'}</tbody></table></body></html>`;
}
