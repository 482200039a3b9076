// SPDX-License-Identifier: LGPL-2.1-or-later
// The hall's fleet console (docs/fleet.md, "The console"): subscribes to one
// hall's terminals on the hall's MQTT broker over WebSocket (mqtt.js, vendored
// at build time into vendor/mqtt.min.js) and shows each terminal as a tile:
//   red   — the terminal is offline (last will or clean shutdown), or a device
//           is offline, or the printer is out of paper or its cover is open;
//   amber — paper near its end, a device whose state is unknown, or a terminal
//           whose devices report but whose `state` is missing;
//   green — online, every device online, paper fine.
// Problems come first. Nothing of a message reaches the page as markup (only
// textContent), and no message carries personal data (docs/fleet.md).
'use strict';

(function () {
	const ID_RE = /^[A-Za-z0-9_-]{1,64}$/;
	const CLASS_NAMES = { printer: '打印机', idcard: '身份证读卡器', scanner: '扫码器', touch: '触摸屏' };
	const CLASS_ORDER = ['printer', 'idcard', 'scanner', 'touch'];
	const DEVICE_STATES = { online: '在线', offline: '离线', unknown: '状态未知' };
	const PAPER = { ok: '纸张正常', near_end: '纸将尽', out: '缺纸', unknown: '纸张未知' };
	const EVENTS = {
		paper_out: '缺纸', paper_low: '纸将尽', device_offline: '设备离线',
		device_online: '设备恢复', card_read_failed: '读卡失败', print_failed: '打印失败',
		rating: '好差评', events_dropped: '事件丢失',
	};
	const LEVEL_RANK = { red: 0, amber: 1, green: 2 };
	const STATUS_WORD = { red: '故障', amber: '注意', green: '正常' };
	const DENSE_FROM = 17; // from this many terminals on, healthy tiles shrink
	const FONT_MAX = 24, FONT_MIN = 12; // px: the page scales within these to fill the screen

	const $ = (id) => document.getElementById(id);
	const kiosks = new Map(); // id -> record
	let client = null;
	let settings = null;
	let attempts = 0;
	let lostAt = 0; // when the broker connection was lost (ms), 0 while connected
	let wasConnected = false; // this client had a connection: what is shown may go stale

	// ---- settings: URL query (never the password) + the form ------------

	function defaults() {
		const q = new URLSearchParams(location.search);
		const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
		const host = location.hostname || 'localhost';
		return {
			ws: q.get('ws') || `${scheme}://${host}:9001`,
			hall: q.get('hall') || '',
			user: q.has('user') ? q.get('user') : 'console',
			passwordInUrl: q.has('password') || q.has('pass') || q.has('pw'),
		};
	}

	function writeUrl(s) {
		const q = new URLSearchParams();
		q.set('ws', s.ws);
		q.set('hall', s.hall);
		q.set('user', s.user);
		history.replaceState(null, '', `${location.pathname}?${q}`);
	}

	function showLogin(error) {
		const d = defaults();
		const s = settings || d;
		$('f-ws').value = s.ws;
		$('f-hall').value = s.hall;
		$('f-user').value = s.user;
		$('f-password').value = '';
		const e = $('login-error');
		e.hidden = !error;
		e.textContent = error || '';
		const dlg = $('login');
		if (!dlg.open)
			dlg.showModal();
		(s.hall ? $('f-password') : $('f-hall')).focus();
	}

	function onSubmit(ev) {
		ev.preventDefault();
		const s = {
			ws: $('f-ws').value.trim(),
			hall: $('f-hall').value.trim(),
			user: $('f-user').value.trim(),
		};
		const password = $('f-password').value;
		$('f-password').value = '';
		if (!/^wss?:\/\/./.test(s.ws)) {
			showLogin('WebSocket 地址应以 ws:// 或 wss:// 开头');
			return;
		}
		if (!ID_RE.test(s.hall) || s.hall === 'all') {
			showLogin('大厅编号只能由字母、数字、_ 和 - 组成（1–64 个字符）');
			return;
		}
		$('login').close();
		writeUrl(s);
		connect(s, password);
	}

	// ---- the broker connection ------------------------------------------

	function setConn(state, text, title) {
		const c = $('conn');
		c.dataset.state = state;
		c.textContent = text;
		c.title = title || '';
	}

	function connect(s, password) {
		if (client) {
			client.end(true);
			client = null;
		}
		if (!settings || settings.hall !== s.hall)
			kiosks.clear();
		settings = s;
		attempts = 0;
		lostAt = 0;
		wasConnected = false;
		document.title = `终端监控 · ${s.hall}`;
		$('hall-name').textContent = `大厅 ${s.hall} · 终端监控`;
		setConn('connecting', '正在连接…', s.ws);
		const rand = Math.random().toString(16).slice(2, 10);
		const opts = {
			clientId: `kiosk-console-${rand}`,
			clean: true,
			keepalive: 20,
			reconnectPeriod: 2000,
			connectTimeout: 8000,
			protocolVersion: 4,
			resubscribe: false, // subscribed again on every connect
		};
		if (s.user)
			opts.username = s.user;
		if (password)
			opts.password = password;
		let c;
		try {
			c = mqtt.connect(s.ws, opts);
		} catch (e) {
			showLogin(`无法连接：${e.message}`);
			return;
		}
		client = c;
		c.on('connect', () => {
			if (c !== client)
				return;
			attempts = 0;
			lostAt = 0;
			wasConnected = true;
			setConn('connected', '已连接', s.ws);
			const base = `kiosk/${s.hall}/+`;
			const topics = [`${base}/state`, `${base}/device/+`, `${base}/event`];
			c.subscribe(topics, { qos: 1 }, (err, granted) => {
				if (c !== client)
					return;
				const refused = err ? topics : (granted || []).filter((g) => g.qos === 128).map((g) => g.topic);
				if (refused.length)
					setConn('error', '无权读取', `订阅被拒绝（检查该用户的 ACL）：${refused.join(', ')}`);
			});
			render();
		});
		c.on('reconnect', () => {
			if (c !== client)
				return;
			attempts++;
			setConn('reconnecting', `正在重连（第 ${attempts} 次）…`, s.ws);
		});
		c.on('close', () => {
			if (c !== client)
				return;
			if (!lostAt && wasConnected)
				lostAt = Date.now();
			if ($('conn').dataset.state === 'connected')
				setConn('reconnecting', '连接已断开，正在重连…', s.ws);
			render();
		});
		c.on('error', (e) => {
			if (c !== client)
				return;
			// CONNACK 4/5 (MQTT 3.1.1), 134/135 (MQTT 5): wrong credentials. Retrying
			// would not help; ask again.
			if ([4, 5, 134, 135].includes(e && e.code)) {
				c.end(true);
				client = null;
				setConn('error', '认证失败', e.message);
				showLogin('用户名或密码错误，或该用户无权连接');
			} else {
				setConn('reconnecting', '连接失败，正在重试…', (e && e.message) || '');
			}
		});
		c.on('message', onMessage);
	}

	// ---- messages -> records ---------------------------------------------

	function record(id) {
		let k = kiosks.get(id);
		if (!k) {
			k = { id, state: null, devices: {}, event: null, seen: 0, offlineSince: 0, el: null };
			kiosks.set(id, k);
		}
		return k;
	}

	function parseTime(s) {
		const t = typeof s === 'string' ? Date.parse(s) : NaN;
		return Number.isFinite(t) ? t : 0;
	}

	const decoder = new TextDecoder('utf-8', { fatal: false });

	function onMessage(topic, payload, packet) {
		const p = topic.split('/');
		if (!settings || p[0] !== 'kiosk' || p[1] !== settings.hall || p.length < 4)
			return;
		const id = p[2];
		if (!ID_RE.test(id) || id === 'all')
			return;
		const kind = p.slice(3).join('/');
		const now = Date.now();
		const live = !packet.retain;
		let msg = null;
		if (payload.length) {
			try {
				msg = JSON.parse(decoder.decode(payload));
			} catch (e) {
				return; // not the contract's JSON: ignored
			}
			if (!msg || typeof msg !== 'object' || Array.isArray(msg))
				return;
		}
		// An empty retained payload deletes what the broker kept.
		if (!msg && !kiosks.has(id))
			return;
		const k = record(id);
		let when = live ? now : 0;
		if (kind === 'state') {
			const was = k.state;
			k.state = msg;
			if (msg && msg.online === false) {
				if (!was || was.online !== false)
					k.offlineSince = live ? now : 0;
			} else {
				k.offlineSince = 0;
				if (!live && msg)
					when = parseTime(msg.since);
			}
		} else if (p[3] === 'device' && p.length === 5 && CLASS_NAMES[p[4]]) {
			if (msg)
				k.devices[p[4]] = msg;
			else
				delete k.devices[p[4]];
			if (!live && msg)
				when = parseTime(msg.since);
		} else if (kind === 'event' && msg) {
			const seq = Number.isSafeInteger(msg.seq) ? msg.seq : -1;
			// Resent events (after an outage) may be older than the last one shown.
			if (!k.event || seq > k.event.seq)
				k.event = { seq, type: String(msg.type || ''), time: parseTime(msg.time) || now, msg };
			when = Math.max(when, parseTime(msg.time));
		} else {
			return;
		}
		if (!k.state && !Object.keys(k.devices).length && !k.event) {
			kiosks.delete(id);
			if (k.el)
				k.el.remove();
		} else if (when > k.seen) {
			k.seen = when;
		}
		scheduleRender();
	}

	// ---- assessment -------------------------------------------------------

	function assess(k) {
		const reasons = [];
		const add = (level, text) => reasons.push({ level, text });
		const online = k.state && k.state.online === true;
		const offline = k.state && k.state.online === false;
		if (!k.state)
			add('amber', '终端状态未上报');
		else if (offline)
			add('red', '终端离线');
		else if (!online)
			add('amber', '终端状态无法识别');
		const devices = {};
		for (const cls of Object.keys(k.devices).sort((a, b) => CLASS_ORDER.indexOf(a) - CLASS_ORDER.indexOf(b))) {
			const d = k.devices[cls];
			const name = CLASS_NAMES[cls];
			let level = 'green';
			const parts = [DEVICE_STATES[d.state] || '状态未知'];
			const note = (l, text) => {
				if (!offline) // a terminal that is gone: its devices' last word is history
					add(l, text);
				if (LEVEL_RANK[l] < LEVEL_RANK[level])
					level = l;
			};
			if (d.state === 'offline')
				note('red', `${name}离线`);
			else if (d.state !== 'online')
				note('amber', `${name}状态未知`);
			if (cls === 'printer' && d.state !== 'offline') {
				if (d.paper && PAPER[d.paper])
					parts.push(PAPER[d.paper]);
				if (d.paper === 'out')
					note('red', '打印机缺纸');
				else if (d.paper === 'near_end')
					note('amber', '打印机纸将尽');
				if (d.coverOpen === true) {
					parts.push('开盖');
					note('red', '打印机开盖');
				}
			}
			devices[cls] = { name, level: offline ? 'stale' : level, text: parts.join(' · '),
					 title: [d.uri, d.error].filter((x) => typeof x === 'string' && x).join(' — ') };
		}
		let level = 'green';
		for (const r of reasons)
			if (LEVEL_RANK[r.level] < LEVEL_RANK[level])
				level = r.level;
		reasons.sort((a, b) => LEVEL_RANK[a.level] - LEVEL_RANK[b.level]);
		return { level, offline, reasons, devices };
	}

	function eventText(e) {
		const name = EVENTS[e.type] || e.type.slice(0, 32) || '事件';
		const m = e.msg;
		if ((e.type === 'device_offline' || e.type === 'device_online') && CLASS_NAMES[m.class])
			return `${name}（${CLASS_NAMES[m.class]}）`;
		if (e.type === 'rating' && Number.isInteger(m.level) && m.level >= 1 && m.level <= 5)
			return `${name} ${'★'.repeat(m.level)}${'☆'.repeat(5 - m.level)}`;
		if (e.type === 'events_dropped' && Number.isSafeInteger(m.count))
			return `${name} ${m.count} 条`;
		return name;
	}

	// ---- time -------------------------------------------------------------

	function pad(n) {
		return String(n).padStart(2, '0');
	}

	function clockOf(t) {
		const d = new Date(t);
		return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
	}

	function ago(t, now) {
		if (!t)
			return '时间不详';
		const s = Math.max(0, Math.round((now - t) / 1000));
		if (s < 5)
			return '刚刚';
		if (s < 60)
			return `${s} 秒前`;
		if (s < 3600)
			return `${Math.floor(s / 60)} 分钟前`;
		if (s < 86400)
			return `${Math.floor(s / 3600)} 小时${s % 3600 >= 60 ? ` ${Math.floor((s % 3600) / 60)} 分钟` : ''}前`;
		const d = new Date(t);
		return `${d.getMonth() + 1}月${d.getDate()}日 ${pad(d.getHours())}:${pad(d.getMinutes())}`;
	}

	function duration(t, now) {
		if (!t)
			return '';
		const s = Math.max(0, Math.round((now - t) / 1000));
		if (s < 60)
			return `${s} 秒`;
		if (s < 3600)
			return `${Math.floor(s / 60)} 分钟`;
		return `${Math.floor(s / 3600)} 小时 ${Math.floor((s % 3600) / 60)} 分钟`;
	}

	// ---- rendering ----------------------------------------------------------

	function el(tag, cls, text) {
		const e = document.createElement(tag);
		if (cls)
			e.className = cls;
		if (text !== undefined)
			e.textContent = text;
		return e;
	}

	function renderTile(k, a, now) {
		if (!k.el) {
			k.el = el('article', 'tile');
			k.el.dataset.kiosk = k.id;
		}
		const t = k.el;
		t.dataset.level = a.level;
		t.className = `tile ${a.level}${a.offline ? ' offline' : ''}`;

		const head = el('header', 'tile-head');
		const name = el('h3', 'kid');
		name.append(el('span', 'kid-label', '终端'), el('span', 'kid-id', k.id));
		head.append(name, el('span', 'status', a.offline ? '离线' : STATUS_WORD[a.level]));

		const reason = el('p', 'reason');
		if (a.offline)
			reason.textContent = !k.offlineSince ? '终端离线'
				: now - k.offlineSince < 10000 ? '终端刚刚离线' : `已离线 ${duration(k.offlineSince, now)}`;
		else if (a.reasons.length)
			reason.textContent = a.reasons.map((r) => r.text).join('，');
		else
			reason.textContent = '一切正常';

		const list = el('ul', 'devices');
		for (const cls of Object.keys(a.devices)) {
			const d = a.devices[cls];
			const li = el('li', `dev ${d.level}`);
			li.dataset.class = cls;
			li.title = d.title;
			li.append(el('span', 'dname', d.name), el('span', 'dstate', d.text));
			list.append(li);
		}
		if (!list.childElementCount)
			list.append(el('li', 'dev none', '未上报设备'));

		const meta = el('div', 'meta');
		const ev = el('div', 'last-event');
		ev.append(el('span', 'mlabel', '最近事件'));
		if (k.event)
			ev.append(el('span', 'mval', `${eventText(k.event)} · ${ago(k.event.time, now)}`));
		else
			ev.append(el('span', 'mval muted', '—'));
		const seen = el('div', 'seen');
		seen.append(el('span', 'mlabel', '最后消息'), el('span', 'mval', k.seen ? ago(k.seen, now) : '—'));
		meta.append(ev, seen);
		const version = k.state && typeof k.state.version === 'string' ? k.state.version : '';
		const program = k.state && typeof k.state.program === 'string' ? k.state.program : '';
		if (program || version)
			meta.title = `${program} ${version}`.trim();

		t.replaceChildren(head, reason, list, meta);
	}

	let pending = false;
	function scheduleRender() {
		if (!pending) {
			pending = true;
			requestAnimationFrame(() => {
				pending = false;
				render();
			});
		}
	}

	function render() {
		const now = Date.now();
		$('clock').textContent = clockOf(now);
		const rows = [];
		for (const k of kiosks.values())
			rows.push({ k, a: assess(k) });
		rows.sort((x, y) => LEVEL_RANK[x.a.level] - LEVEL_RANK[y.a.level] ||
			x.k.id.localeCompare(y.k.id, 'en', { numeric: true }));
		const grid = $('grid');
		const count = { red: 0, amber: 0, green: 0 };
		rows.forEach(({ k, a }, i) => {
			count[a.level]++;
			renderTile(k, a, now);
			if (grid.children[i] !== k.el)
				grid.insertBefore(k.el, grid.children[i] || null);
		});
		while (grid.children.length > rows.length)
			grid.lastElementChild.remove();
		document.body.classList.toggle('dense', rows.length >= DENSE_FROM);

		const attention = count.red + count.amber;
		$('sum-total').textContent = `共 ${rows.length} 台终端`;
		const chip = (id, text, n) => {
			$(id).textContent = n ? text : '';
			$(id).hidden = !n;
		};
		chip('sum-attention', `${attention} 台需处理`, attention);
		$('sum-attention').classList.toggle('ok', !attention);
		if (!attention && rows.length) {
			$('sum-attention').textContent = '全部正常';
			$('sum-attention').hidden = false;
		}
		chip('sum-red', `故障 ${count.red}`, count.red);
		chip('sum-amber', `注意 ${count.amber}`, count.amber);
		chip('sum-green', `正常 ${count.green}`, count.green);
		$('empty').hidden = !(client && client.connected && !rows.length);
		// Mosquitto grants a subscription its ACL forbids and then delivers nothing.
		$('empty').textContent = settings ? `已连接，大厅 ${settings.hall} 尚无终端上报。终端连接到服务器后会出现在这里；` +
			`若终端已在运行，请检查用户“${settings.user}”能否读取 kiosk/${settings.hall}/#（ACL）。` : '';

		const stale = !!lostAt && !!settings;
		document.body.classList.toggle('stale', stale);
		$('stale').hidden = !stale;
		if (stale)
			$('stale').textContent = `与服务器的连接自 ${clockOf(lostAt)} 起中断（${duration(lostAt, now)}）：下面是中断前的状态，可能已过期。正在自动重连…`;
		fitToScreen();
	}

	// A wall screen cannot scroll: shrink everything (rem units) until the page
	// fits the window; a small hall grows to be read from across the room.
	function fitToScreen() {
		const root = document.documentElement;
		const fits = () => root.scrollHeight <= window.innerHeight;
		let size = Math.round(parseFloat(getComputedStyle(root).fontSize)) || FONT_MIN;
		while (!fits() && size > FONT_MIN) {
			size--;
			root.style.fontSize = `${size}px`;
		}
		while (size < FONT_MAX) {
			root.style.fontSize = `${size + 1}px`;
			if (!fits()) {
				root.style.fontSize = `${size}px`;
				break;
			}
			size++;
		}
	}

	// ---- start --------------------------------------------------------------

	function start() {
		$('login-form').addEventListener('submit', onSubmit);
		$('settings-btn').addEventListener('click', () => showLogin(''));
		if (typeof mqtt === 'undefined' || typeof mqtt.connect !== 'function') {
			setConn('error', '不可用', 'vendor/mqtt.min.js');
			const s = $('stale');
			s.hidden = false;
			s.textContent = 'MQTT 客户端库（vendor/mqtt.min.js）缺失：构建时未能从 npm 取得 mqtt.js，控制台不可用。见 docs/fleet.md。';
			$('settings-btn').disabled = true;
			return;
		}
		const d = defaults();
		if (d.passwordInUrl) {
			writeUrl(d); // drop it from the address bar and history
			showLogin('密码不能写在页面地址里，已忽略；请在此输入。');
		} else {
			showLogin('');
		}
		render();
		setInterval(render, 1000);
	}

	start();
})();
