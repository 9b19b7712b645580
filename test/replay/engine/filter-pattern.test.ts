import * as logs from 'aws-cdk-lib/aws-logs';
import { numberAt, SpaceDelimitedPattern, splitSpaceDelimited } from '../../../src/replay/engine/filter-pattern';

// Documentation the examples below are taken from, verbatim:
// - CURRENT: "Using filter patterns to match terms in space-delimited log events",
//   https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html#matching-term-space-delimited-log-events
// - EARLIER: the previous revision of that page, "Using Metric Filters to Extract Values from Space-Delimited Log Events",
//   https://github.com/awsdocs/amazon-cloudwatch-logs-user-guide/blob/1487b9496d8366bf7039a1efbeeb3a0702b42c50/doc_source/FilterAndPatternSyntax.md
// - COUNT_404: "Example: Count HTTP 404 codes", https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Counting404Responses.html
// - EXTRACT_BYTES: "Example: Extract fields from an Apache log", https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/ExtractBytesExample.html
// - ISSUE_21: AWS rejects a pattern the EARLIER page showed, https://github.com/awsdocs/amazon-cloudwatch-logs-user-guide/issues/21

function matches(pattern: string, event: string): boolean {
  return SpaceDelimitedPattern.parse(pattern).matchesEvent(event);
}

function matching(pattern: string, events: readonly string[]): string[] {
  const parsed = SpaceDelimitedPattern.parse(pattern);
  return events.filter(e => parsed.matchesEvent(e));
}

/** A VPC flow-log record in the default (version 2) format. */
const FLOW_COLUMNS = 'version, account_id, interface_id, srcaddr, dstaddr, srcport, dstport, protocol, packets, bytes, start, end, action, log_status';
const ACCEPT_RECORD = '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK';
const NODATA_RECORD = '2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA';

function flow(conditions: Record<string, string>): string {
  return '[' + FLOW_COLUMNS.split(', ').map(c => (conditions[c] ? `${c} ${conditions[c]}` : c)).join(', ') + ']';
}

describe('documented examples (CURRENT page)', () => {
  const EVENT = '127.0.0.1 Prod frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534';

  test('the example event has the seven documented fields, brackets and quotes making single fields', () => {
    expect(splitSpaceDelimited(EVENT)).toEqual([
      '127.0.0.1', 'Prod', 'frank', '10/Oct/2000:13:25:15 -0700', 'GET /index.html HTTP/1.0', '404', '1534',
    ]);
  });

  test('[ip=%127\\.0\\.0\\.[1-9]%, ..., request =*.html*, status_code = 4*, bytes] matches the example event', () => {
    const pattern = SpaceDelimitedPattern.parse('[ip=%127\\.0\\.0\\.[1-9]%, user, username, timestamp, request =*.html*, status_code = 4*, bytes]');
    expect(pattern.columns).toEqual(['ip', 'user', 'username', 'timestamp', 'request', 'status_code', 'bytes']);
    expect(pattern.matchesEvent(EVENT)).toBe(true);
    // each condition is necessary
    expect(pattern.matchesEvent(EVENT.replace('127.0.0.1', '127.0.0.0'))).toBe(false);
    expect(pattern.matchesEvent(EVENT.replace('index.html', 'apache_pb.gif'))).toBe(false);
    expect(pattern.matchesEvent(EVENT.replace(' 404 ', ' 200 '))).toBe(false);
  });

  test('[..., request =*.html*, status_code = 4*, bytes] matches the example event', () => {
    expect(matches('[..., request =*.html*, status_code = 4*, bytes]', EVENT)).toBe(true);
  });

  test('[..., status_code = 404 || status_code = 410, bytes] matches status 404 or 410', () => {
    const pattern = '[ip, user, username, timestamp, request =*.html*, status_code = 404 || status_code = 410, bytes]';
    expect(matches(pattern, EVENT)).toBe(true);
    expect(matches(pattern, EVENT.replace(' 404 ', ' 410 '))).toBe(true);
    expect(matches(pattern, EVENT.replace(' 404 ', ' 403 '))).toBe(false);
  });

  describe('terms in order, on the documented four-line sample', () => {
    const INFO_GET = 'INFO 09/25/2014 12:00:00 GET /service/resource/67 1200';
    const INFO_POST = 'INFO 09/25/2014 12:00:01 POST /service/resource/67/part/111 1310';
    const WARNING = 'WARNING 09/25/2014 12:00:02 Invalid user request';
    const ERROR = 'ERROR 09/25/2014 12:00:02 Failed to process request';
    const SAMPLE = [INFO_GET, INFO_POST, WARNING, ERROR];

    test('[w1=ERROR, w2] returns the events whose first word is ERROR (w2 takes the rest of the event)', () => {
      expect(matching('[w1=ERROR, w2]', SAMPLE)).toEqual([ERROR]);
    });

    test('[w1=ERROR || w1=WARNING, w2] returns the events whose first word is ERROR or WARNING', () => {
      expect(matching('[w1=ERROR || w1=WARNING, w2]', SAMPLE)).toEqual([WARNING, ERROR]);
    });

    test('[w1!=ERROR && w1!=WARNING, w2] returns the events whose first word is neither', () => {
      expect(matching('[w1!=ERROR && w1!=WARNING, w2]', SAMPLE)).toEqual([INFO_GET, INFO_POST]);
    });

    test('url=%/service/resource/[0-9]+$% matches the top level item in a resource URI', () => {
      expect(matching('[logLevel, date, time, method, url=%/service/resource/[0-9]+$%, response_time]', SAMPLE)).toEqual([INFO_GET]);
    });

    test('url=%/service/resource/[0-9]+/part/[0-9]+$% matches the child level item in a resource URI', () => {
      expect(matching('[logLevel, date, time, method, url=%/service/resource/[0-9]+/part/[0-9]+$%, response_time]', SAMPLE)).toEqual([INFO_POST]);
    });

    test('without the blank w2 column, the single column is the whole event and [w1=ERROR] matches nothing', () => {
      expect(matching('[w1=ERROR]', SAMPLE)).toEqual([]);
      expect(matches('[w1=ERROR]', 'ERROR')).toBe(true);
    });
  });
});

describe('documented examples (EARLIER page)', () => {
  const LINE_200_1534 = '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 200 1534';
  const LINE_500_5324 = '127.0.0.1 - frank [10/Oct/2000:13:35:22 -0700] "GET /apache_pb.gif HTTP/1.0" 500 5324';
  const LINE_200_4355 = '127.0.0.1 - frank [10/Oct/2000:13:50:35 -0700] "GET /apache_pb.gif HTTP/1.0" 200 4355';
  const LINES = [LINE_200_1534, LINE_500_5324, LINE_200_4355];

  test.each([
    '[ip, user, username, timestamp, request, status_code, bytes]',
    '[..., status_code, bytes]',
    '[ip, user, ..., status_code, bytes]',
    '[ip, user, ...]',
    '[ip, user, username, timestamp, request, status_code, bytes > 1000]',
  ])('%s matches all three Apache lines', pattern => {
    expect(matching(pattern, LINES)).toEqual(LINES);
  });

  test('[..., status_code = 200, bytes] matches the two 200 lines', () => {
    expect(matching('[ip, user, username, timestamp, request, status_code = 200, bytes]', LINES)).toEqual([LINE_200_1534, LINE_200_4355]);
  });

  test.each([
    '[ip, user, username, timestamp, request, status_code = 4*, bytes]',
    '[ip, user, username, timestamp, request = *html*, status_code = 4*, bytes]',
    '[ip, user, username, timestamp, request, status_code = 4* && status_code != 403, bytes]',
  ])('%s matches none of the Apache lines (no 4xx, no html)', pattern => {
    expect(matching(pattern, LINES)).toEqual([]);
  });

  test('status_code = 4* && status_code != 403 matches 404 and not 403', () => {
    const pattern = '[ip, user, username, timestamp, request, status_code = 4* && status_code != 403, bytes]';
    expect(matches(pattern, LINE_200_1534.replace(' 200 ', ' 404 '))).toBe(true);
    expect(matches(pattern, LINE_200_1534.replace(' 200 ', ' 403 '))).toBe(false);
  });

  test('request = *html* && status_code = 4* matches an html 404', () => {
    const line = LINE_200_1534.replace('apache_pb.gif', 'index.html').replace(' 200 ', ' 404 ');
    expect(matches('[ip, user, username, timestamp, request = *html*, status_code = 4*, bytes]', line)).toBe(true);
  });

  test('rejects [..., status_code = 4* && bytes > 1000], which CloudWatch answers with "Invalid filter pattern" (ISSUE_21)', () => {
    expect(() => SpaceDelimitedPattern.parse('[ip, user, username, timestamp, request, status_code = 4* && bytes > 1000]'))
      .toThrow("the condition names 'bytes' inside column 'status_code': each condition must name its own column");
  });

  test('[..., request=*.html*, status_code=4*,]: the trailing comma adds an unnamed seventh field ($7 = 1534)', () => {
    // The page escapes the quotes for a shell (\"GET ...\"); the event itself has plain quotes.
    const event = '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534';
    const pattern = SpaceDelimitedPattern.parse('[..., request=*.html*, status_code=4*,]');
    expect(pattern.columns).toEqual(['...', 'request', 'status_code', '']);
    expect(pattern.matchesEvent(event)).toBe(true);
    // documented extracted fields: "$status_code": "404", "$7": "1534"
    expect(pattern.metricValue('$status_code', event)).toBe(404);
    expect(pattern.metricValue('$7', event)).toBe(1534);
    // "$4": "10/Oct/2000:13:25:15 -0700" (no brackets), "$1": "127.0.0.1"
    expect(splitSpaceDelimited(event)[3]).toBe('10/Oct/2000:13:25:15 -0700');
  });
});

describe('documented examples (COUNT_404 and EXTRACT_BYTES)', () => {
  test('[ip, id, user, timestamp, request, status_code=404, size] counts the 404 event and not the 200 one', () => {
    const notFound = '127.0.0.1 - bob [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 404 2326';
    const ok = '127.0.0.1 - bob [10/Oct/2000:13:55:36 -0700] "GET /apache_pb2.gif HTTP/1.0" 200 2326';
    for (const pattern of ['[ip, id, user, timestamp, request, status_code=404, size]', '[IP, UserInfo, User, Timestamp, RequestInfo, StatusCode=404, Bytes]']) {
      expect(matching(pattern, [notFound, ok])).toEqual([notFound]);
      expect(SpaceDelimitedPattern.parse(pattern).metricValue('1', notFound)).toBe(1);
      expect(SpaceDelimitedPattern.parse(pattern).metricValue('1', ok)).toBeUndefined();
    }
    expect(matches('[IP, UserInfo, User, Timestamp, RequestInfo, StatusCode=404, Bytes]',
      '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 404 2326')).toBe(true);
  });

  test('[ip, id, user, timestamp, request, status_code, size] with metric value $size emits the bytes', () => {
    const pattern = SpaceDelimitedPattern.parse('[ip, id, user, timestamp, request, status_code, size]');
    const events = [
      '127.0.0.1 - - [24/Sep/2013:11:49:52 -0700] "GET /index.html HTTP/1.1" 404 287',
      '127.0.0.1 - - [24/Sep/2013:11:49:52 -0700] "GET /index.html HTTP/1.1" 404 287',
      '127.0.0.1 - - [24/Sep/2013:11:50:51 -0700] "GET /~test/ HTTP/1.1" 200 3',
      '127.0.0.1 - - [24/Sep/2013:11:50:51 -0700] "GET /favicon.ico HTTP/1.1" 404 308',
      '127.0.0.1 - - [24/Sep/2013:11:50:51 -0700] "GET /favicon.ico HTTP/1.1" 404 308',
      '127.0.0.1 - - [24/Sep/2013:11:51:34 -0700] "GET /~test/index.html HTTP/1.1" 200 3',
    ];
    expect(events.map(e => pattern.metricValue('$size', e))).toEqual([287, 287, 3, 308, 308, 3]);
  });
});

describe('aws-cdk FilterPattern.spaceDelimited renderings', () => {
  test('the aws-cdk docs example parses and matches as intended', () => {
    const rendered = logs.FilterPattern.spaceDelimited('time', 'component', '...', 'result_code', 'latency')
      .whereString('component', '=', 'HttpServer')
      .whereNumber('result_code', '!=', 200).logPatternString;
    expect(rendered).toBe('[time, component = "HttpServer", ..., result_code != 200, latency]');
    const pattern = SpaceDelimitedPattern.parse(rendered);
    expect(pattern.columns).toEqual(['time', 'component', '...', 'result_code', 'latency']);
    expect(pattern.matchesEvent('12:00 HttpServer GET /x 500 12')).toBe(true);
    expect(pattern.matchesEvent('12:00 HttpServer 500 12')).toBe(true);
    expect(pattern.matchesEvent('12:00 HttpServer GET /x 200 12')).toBe(false);
    expect(pattern.matchesEvent('12:00 Db GET /x 500 12')).toBe(false);
  });

  test('several restrictions on a column are joined with && and strings are quoted with escapes', () => {
    const rendered = logs.FilterPattern.spaceDelimited('a', 'b', 'c')
      .whereNumber('a', '>=', 1024).whereNumber('a', '<=', 65535)
      .whereString('b', '!=', 'say "hi"\\')
      .whereNumber('c', '<', -1.5).logPatternString;
    expect(rendered).toBe('[a >= 1024 && a <= 65535, b != "say \\"hi\\"\\\\", c < -1.5]');
    const pattern = SpaceDelimitedPattern.parse(rendered);
    expect(pattern.matchesFields(['1024', 'x', '-2'])).toBe(true);
    expect(pattern.matchesFields(['1023', 'x', '-2'])).toBe(false);
    expect(pattern.matchesFields(['1024', 'say "hi"\\', '-2'])).toBe(false);
    expect(pattern.matchesFields(['1024', 'x', '-1.5'])).toBe(false);
  });

  test('whereString renders a quoted string, compared as a string even when it looks like a number', () => {
    const rendered = logs.FilterPattern.spaceDelimited('port').whereString('port', '=', '22').logPatternString;
    expect(rendered).toBe('[port = "22"]');
    const pattern = SpaceDelimitedPattern.parse(rendered);
    expect(pattern.matchesFields(['22'])).toBe(true);
    expect(pattern.matchesFields(['22.0'])).toBe(false);
  });
});

describe('numeric comparisons', () => {
  test.each([
    ['=', ['10', '10.0', '1e1', '+10'], ['9', '11', '-', 'ten', '']],
    ['!=', ['9', '11', '-10'], ['10', '10.0', '-', 'ACCEPT', '']],
    ['<', ['9', '-10', '9.99'], ['10', '11', '-', 'x']],
    ['<=', ['9', '10', '10.0'], ['11', '-', 'x']],
    ['>', ['11', '10.5', '1e3'], ['10', '9', '-', 'x']],
    ['>=', ['10', '11'], ['9', '-', 'x']],
  ])('%s 10 compares numerically and fails on non-numeric fields', (operator, yes, no) => {
    const pattern = SpaceDelimitedPattern.parse(`[n ${operator} 10]`);
    for (const field of yes) {
      expect([field, pattern.matchesFields([field])]).toEqual([field, true]);
    }
    for (const field of no) {
      expect([field, pattern.matchesFields([field])]).toEqual([field, false]);
    }
  });

  test('negative and decimal values in the pattern', () => {
    expect(SpaceDelimitedPattern.parse('[n < -1.5]').matchesFields(['-2'])).toBe(true);
    expect(SpaceDelimitedPattern.parse('[n < -1.5]').matchesFields(['-1.5'])).toBe(false);
    expect(SpaceDelimitedPattern.parse('[n = 0.25]').matchesFields(['.25'])).toBe(true);
    expect(SpaceDelimitedPattern.parse('[n>=-3]').matchesFields(['-3'])).toBe(true);
  });

  test('large integers beyond the fast path still compare exactly', () => {
    const pattern = SpaceDelimitedPattern.parse('[n > 9007199254740000]');
    expect(pattern.matchesFields(['9007199254740991'])).toBe(true);
    expect(pattern.matchesFields(['9007199254739999'])).toBe(false);
  });

  test('"-" (flow-log NODATA fields) never satisfies a numeric comparison, not even !=', () => {
    for (const operator of ['=', '!=', '<', '<=', '>', '>=']) {
      expect([operator, matches(`[n ${operator} 0]`, '-')]).toEqual([operator, false]);
    }
    expect(matches(flow({ bytes: '>= 0' }), NODATA_RECORD)).toBe(false);
    expect(matches(flow({ dstport: '!= 22' }), NODATA_RECORD)).toBe(false);
    expect(matches(flow({ bytes: '>= 0' }), ACCEPT_RECORD)).toBe(true);
    expect(matches(flow({ dstport: '!= 22' }), ACCEPT_RECORD)).toBe(false);
    expect(matches(flow({ dstport: '= 22' }), ACCEPT_RECORD)).toBe(true);
  });
});

describe('string comparisons', () => {
  test('= and != compare unquoted and quoted strings exactly and case-sensitively', () => {
    const accept = SpaceDelimitedPattern.parse('[action = ACCEPT]');
    expect(accept.matchesFields(['ACCEPT'])).toBe(true);
    expect(accept.matchesFields(['accept'])).toBe(false);
    expect(accept.matchesFields(['ACCEPTED'])).toBe(false);
    expect(SpaceDelimitedPattern.parse('[action = "ACCEPT"]').matchesFields(['ACCEPT'])).toBe(true);
    const notReject = SpaceDelimitedPattern.parse('[action != REJECT]');
    expect(notReject.matchesFields(['ACCEPT'])).toBe(true);
    expect(notReject.matchesFields(['-'])).toBe(true);
    expect(notReject.matchesFields(['REJECT'])).toBe(false);
  });

  test('"-" is a string: = - and != "-" tell NODATA records from traffic', () => {
    expect(matches(flow({ srcaddr: '= -' }), NODATA_RECORD)).toBe(true);
    expect(matches(flow({ srcaddr: '= -' }), ACCEPT_RECORD)).toBe(false);
    expect(matches(flow({ srcaddr: '!= "-"' }), NODATA_RECORD)).toBe(false);
    expect(matches(flow({ srcaddr: '!= "-"' }), ACCEPT_RECORD)).toBe(true);
    expect(matches(flow({ log_status: '= NODATA', action: '= -' }), NODATA_RECORD)).toBe(true);
  });

  test('quoted values may contain spaces, commas, brackets and escaped quotes', () => {
    expect(SpaceDelimitedPattern.parse('[r = "GET /a,b] HTTP/1.0", s]').matchesFields(['GET /a,b] HTTP/1.0', '1'])).toBe(true);
    expect(SpaceDelimitedPattern.parse('[r = "say \\"hi\\""]').matchesFields(['say "hi"'])).toBe(true);
    expect(SpaceDelimitedPattern.parse('[r = ""]').matchesFields([''])).toBe(true);
  });

  test('unquoted values may contain dots, slashes, colons and hyphens', () => {
    expect(SpaceDelimitedPattern.parse('[ip = 10.0.0.1, eni = eni-0abc, path = /a/b:c]').matchesFields(['10.0.0.1', 'eni-0abc', '/a/b:c'])).toBe(true);
  });
});

describe('wildcards', () => {
  test.each([
    ['10.0.*', ['10.0.1.5', '10.0.'], ['10.1.0.5', '110.0.1.5']],
    ['*.html', ['/index.html', '.html'], ['/index.html?x', '/index.htm']],
    ['*html*', ['GET /index.html HTTP/1.0', 'html'], ['HTML', 'htm']],
    ['a*b*c', ['abc', 'aXbYc', 'abbc'], ['ab', 'acb', 'aXc']],
    ['ab*ba', ['abba', 'abXba'], ['aba', 'ab']],
    ['*', ['anything', '-', ''], []],
    ['"GET *"', ['GET /', 'GET '], ['POST /', 'GET']],
  ])('= %s', (value, yes, no) => {
    const pattern = SpaceDelimitedPattern.parse(`[f = ${value}]`);
    for (const field of yes) {
      expect([field, pattern.matchesFields([field])]).toEqual([field, true]);
    }
    for (const field of no) {
      expect([field, pattern.matchesFields([field])]).toEqual([field, false]);
    }
  });

  test('!= negates a wildcard match', () => {
    const pattern = SpaceDelimitedPattern.parse('[ip != 10.*]');
    expect(pattern.matchesFields(['192.168.0.1'])).toBe(true);
    expect(pattern.matchesFields(['10.0.0.1'])).toBe(false);
  });

  test('an unquoted value with a star is a string wildcard, also on numeric-looking fields (status_code = 4*)', () => {
    const pattern = SpaceDelimitedPattern.parse('[status_code = 4*]');
    expect(pattern.matchesFields(['404'])).toBe(true);
    expect(pattern.matchesFields(['4'])).toBe(true);
    expect(pattern.matchesFields(['500'])).toBe(false);
  });

  test('\\* inside quotes is a literal star', () => {
    const pattern = SpaceDelimitedPattern.parse('[f = "a\\*b"]');
    expect(pattern.matchesFields(['a*b'])).toBe(true);
    expect(pattern.matchesFields(['aXb'])).toBe(false);
  });
});

describe('regular expressions', () => {
  test('%regex% is searched anywhere in the field unless anchored', () => {
    expect(SpaceDelimitedPattern.parse('[f = %AUTHORIZED%]').matchesFields(['UNAUTHORIZED'])).toBe(true);
    expect(SpaceDelimitedPattern.parse('[f = %^[hc]at%]').matchesFields(['hats'])).toBe(true);
    expect(SpaceDelimitedPattern.parse('[f = %^[hc]at%]').matchesFields(['that'])).toBe(false);
    expect(SpaceDelimitedPattern.parse('[f != %^10\\.%]').matchesFields(['10.0.0.1'])).toBe(false);
  });

  test('supports \\d, \\x3A, {m,n} and {,n}', () => {
    expect(SpaceDelimitedPattern.parse('[f = %^\\d+\\x3A\\d+$%]').matchesFields(['12:34'])).toBe(true);
    expect(SpaceDelimitedPattern.parse('[f = %^a{,2}b$%]').matchesFields(['b'])).toBe(true);
    expect(SpaceDelimitedPattern.parse('[f = %^a{,2}b$%]').matchesFields(['aaab'])).toBe(false);
    expect(SpaceDelimitedPattern.parse('[f = %^a{2,3}$%]').matchesFields(['aa'])).toBe(true);
    expect(SpaceDelimitedPattern.parse('[f = %^a{2, 3}$%]').matchesFields(['aaa'])).toBe(true);
  });

  test.each([
    ['[f = %(a)%]', "unsupported character '(' in a regular expression: parentheses are not supported"],
    ['[f = %something!%]', "unsupported character '!' in a regular expression"],
    ['[f = %abc]', "unterminated regular expression: missing the closing '%'"],
    ['[f = %%]', 'empty regular expression'],
    ['[f = %[a%]', 'at position 5: invalid regular expression: '],
    ['[f > %1%]', "'>' compares numbers, but the value is a regular expression"],
    ['[a = %a%, b = %b%, c = %c%]', 'at most 2 regular expressions are allowed in a pattern'],
  ])('rejects %s', (pattern, message) => {
    expect(() => SpaceDelimitedPattern.parse(pattern)).toThrow(message);
  });
});

describe('&& and ||', () => {
  test('&& requires every condition, as in a port range', () => {
    const pattern = SpaceDelimitedPattern.parse('[port >= 1024 && port <= 65535]');
    expect(pattern.matchesFields(['1024'])).toBe(true);
    expect(pattern.matchesFields(['65535'])).toBe(true);
    expect(pattern.matchesFields(['80'])).toBe(false);
    expect(pattern.matchesFields(['-'])).toBe(false);
  });

  test('|| requires any condition, and mixes numbers and strings', () => {
    const pattern = SpaceDelimitedPattern.parse('[port = 22 || port = 3389 || port = -]');
    expect(['22', '3389', '-', '80', 'x'].map(f => pattern.matchesFields([f]))).toEqual([true, true, true, false, false]);
  });

  test('three or more conditions chain', () => {
    const pattern = SpaceDelimitedPattern.parse('[n > 1 && n < 10 && n != 5 || n = 20 || n = 30 || n = x*]');
    expect(['2', '5', '10', '20', '30', 'xy', '-'].map(f => pattern.matchesFields([f]))).toEqual([true, false, false, true, true, true, false]);
  });

  test('&& binds tighter than ||', () => {
    const pattern = SpaceDelimitedPattern.parse('[n = 1 || n >= 2 && n <= 3 || n = 9]');
    expect(['1', '2', '3', '4', '9'].map(f => pattern.matchesFields([f]))).toEqual([true, true, true, false, true]);
  });

  test('whitespace around tokens is optional', () => {
    const pattern = SpaceDelimitedPattern.parse('[a=1||a=2,b!=x&&b!=y]');
    expect(pattern.matchesFields(['2', 'z'])).toBe(true);
    expect(pattern.matchesFields(['2', 'y'])).toBe(false);
    expect(SpaceDelimitedPattern.parse('  [ a = 1 ,\n b ]  ').matchesFields(['1', 'q'])).toBe(true);
  });
});

describe('ellipsis and field count', () => {
  test('an ellipsis at the start binds the named columns from the right', () => {
    const pattern = SpaceDelimitedPattern.parse('[..., action = REJECT, log_status]');
    expect(pattern.matchesEvent(ACCEPT_RECORD.replace('ACCEPT', 'REJECT'))).toBe(true);
    expect(pattern.matchesEvent(ACCEPT_RECORD)).toBe(false);
    expect(pattern.matchesEvent('REJECT OK')).toBe(true);
    expect(pattern.matchesEvent('OK')).toBe(false);
  });

  test('an ellipsis in the middle binds from the left before it and from the right after it', () => {
    const pattern = SpaceDelimitedPattern.parse('[version = 2, ..., action = ACCEPT, log_status = OK]');
    expect(pattern.matchesEvent(ACCEPT_RECORD)).toBe(true);
    expect(pattern.matchesEvent('2 ACCEPT OK')).toBe(true);
    expect(pattern.matchesEvent('2 OK')).toBe(false);
    expect(pattern.matchesEvent('3 x ACCEPT OK')).toBe(false);
  });

  test('an ellipsis at the end binds from the left and absorbs any number of fields, including none', () => {
    const pattern = SpaceDelimitedPattern.parse('[version = 2, account_id, ...]');
    expect(pattern.matchesEvent(ACCEPT_RECORD)).toBe(true);
    expect(pattern.matchesEvent('2 123')).toBe(true);
    expect(pattern.matchesEvent('2')).toBe(false);
  });

  test('[...] matches every event, even the empty one', () => {
    const pattern = SpaceDelimitedPattern.parse('[...]');
    expect(pattern.matchesEvent('')).toBe(true);
    expect(pattern.matchesEvent('a b c')).toBe(true);
  });

  test('without ellipsis, an event with fewer fields than columns does not match', () => {
    const pattern = SpaceDelimitedPattern.parse(`[${FLOW_COLUMNS}]`);
    expect(pattern.matchesEvent(ACCEPT_RECORD)).toBe(true);
    expect(pattern.matchesEvent(ACCEPT_RECORD.replace(' OK', ''))).toBe(false);
  });

  test('without ellipsis, extra fields go to the last column, which then fails a condition', () => {
    const extra = ACCEPT_RECORD + ' extra';
    expect(matches(`[${FLOW_COLUMNS}]`, extra)).toBe(true);
    expect(matches(flow({ log_status: '= OK' }), extra)).toBe(false);
    expect(matches(flow({ log_status: '= "OK extra"' }), extra)).toBe(true);
    expect(matches(flow({ log_status: '= OK*' }), extra)).toBe(true);
    expect(SpaceDelimitedPattern.parse('[a, b]').metricValue('$b', 'x 1 2')).toBeUndefined();
    expect(SpaceDelimitedPattern.parse('[a, b = "1 2"]').matchesFields(['x', '1', '2'])).toBe(true);
  });

  test('a flow-log pattern matches exactly the records it describes', () => {
    const sshRejects = SpaceDelimitedPattern.parse(flow({ dstport: '= 22', protocol: '= 6', action: '= REJECT', log_status: '= OK' }));
    expect(sshRejects.matchesEvent(ACCEPT_RECORD.replace('ACCEPT', 'REJECT'))).toBe(true);
    expect(sshRejects.matchesEvent(ACCEPT_RECORD)).toBe(false);
    expect(sshRejects.matchesEvent(NODATA_RECORD)).toBe(false);
    expect(sshRejects.matchesEvent(ACCEPT_RECORD.replace('ACCEPT', 'REJECT').replace(' 22 6 ', ' 22 17 '))).toBe(false);
  });
});

describe('event tokenization', () => {
  test('splits on single spaces', () => {
    expect(splitSpaceDelimited(ACCEPT_RECORD)).toHaveLength(14);
    expect(splitSpaceDelimited('a b')).toEqual(['a', 'b']);
    expect(splitSpaceDelimited('')).toEqual([]);
  });

  test('a run of spaces is one separator; leading and trailing spaces are ignored', () => {
    expect(splitSpaceDelimited('a  b   c')).toEqual(['a', 'b', 'c']);
    expect(splitSpaceDelimited('  a b  ')).toEqual(['a', 'b']);
    expect(splitSpaceDelimited('   ')).toEqual([]);
    expect(matches(`[${FLOW_COLUMNS}]`, ACCEPT_RECORD.replace(' ACCEPT', '  ACCEPT'))).toBe(true);
  });

  test('only the space character separates fields', () => {
    expect(splitSpaceDelimited('a\tb c')).toEqual(['a\tb', 'c']);
  });

  test('quoted and bracketed fields are single fields without their delimiters', () => {
    expect(splitSpaceDelimited('"a b" [c d] "" []')).toEqual(['a b', 'c d', '', '']);
    expect(splitSpaceDelimited('x "GET / HTTP/1.1" [1 2]')).toEqual(['x', 'GET / HTTP/1.1', '1 2']);
    expect(splitSpaceDelimited('"a ]" [b "c"]')).toEqual(['a ]', 'b "c"']);
  });

  test('a quote or bracket inside a field, or one never closed, is an ordinary character', () => {
    expect(splitSpaceDelimited('ab"c d"')).toEqual(['ab"c', 'd"']);
    expect(splitSpaceDelimited('"abc def')).toEqual(['"abc', 'def']);
    expect(splitSpaceDelimited('[abc def')).toEqual(['[abc', 'def']);
  });

  test('a closing delimiter counts only when a space or the end of the event follows it', () => {
    expect(splitSpaceDelimited('"a"b c" x')).toEqual(['a"b c', 'x']);
    expect(splitSpaceDelimited('"say "hi" now" x')).toEqual(['say "hi', 'now"', 'x']);
    expect(splitSpaceDelimited('[a]b c] d')).toEqual(['a]b c', 'd']);
  });

  test('matchesEvent agrees with matchesFields(splitSpaceDelimited(event)) on random events', () => {
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return Math.floor(seed / 65536) % n;
    };
    const alphabet = ['a', 'b', '1', '2', '-', ' ', ' ', ' ', '"', '[', ']', '.'];
    const patterns = [
      '[x, y]', '[x = a, y]', '[x, y = 1*]', '[x, y != a]', '[x > 1, ..., z = b]', '[..., z <= 12]',
      '[x, y, z = "a b"]', '[x = *, y = -]', '[x, ..., y, z]', '[x = %^a%, y, z = *1*]', '[...]', '[x]', '[x = ""]',
    ].map(p => SpaceDelimitedPattern.parse(p));
    const disagreements: string[] = [];
    let matched = 0;
    for (let i = 0; i < 5000; i++) {
      let event = '';
      const size = random(12);
      for (let j = 0; j < size; j++) {
        event += alphabet[random(alphabet.length)];
      }
      for (const pattern of patterns) {
        const expected = pattern.matchesFields(splitSpaceDelimited(event));
        matched += expected ? 1 : 0;
        if (pattern.matchesEvent(event) !== expected) {
          disagreements.push(`${pattern.columns.join(',')}: ${JSON.stringify(event)}`);
        }
      }
    }
    expect(disagreements).toEqual([]);
    expect(matched).toBeGreaterThan(5000);
  });

  test('matchesFields takes already tokenized fields', () => {
    const pattern = SpaceDelimitedPattern.parse('[ip, request = "GET *", status = 200]');
    expect(pattern.matchesFields(['1.2.3.4', 'GET / HTTP/1.1', '200'])).toBe(true);
    expect(pattern.matchesFields(['1.2.3.4', 'POST / HTTP/1.1', '200'])).toBe(false);
  });
});

describe('metric values', () => {
  const pattern = SpaceDelimitedPattern.parse(flow({ action: '= ACCEPT' }));

  test('$column emits the numeric value of the column', () => {
    expect(pattern.metricValue('$bytes', ACCEPT_RECORD)).toBe(4249);
    expect(pattern.metricValue('$packets', ACCEPT_RECORD)).toBe(20);
  });

  test('a literal emits itself when the event matches', () => {
    expect(pattern.metricValue('1', ACCEPT_RECORD)).toBe(1);
    expect(pattern.metricValue('0.5', ACCEPT_RECORD)).toBe(0.5);
  });

  test('nothing is emitted when the event does not match', () => {
    expect(pattern.metricValue('1', ACCEPT_RECORD.replace('ACCEPT', 'REJECT'))).toBeUndefined();
    expect(pattern.metricValue('$bytes', ACCEPT_RECORD.replace('ACCEPT', 'REJECT'))).toBeUndefined();
  });

  test('nothing is emitted when $column is not numeric', () => {
    expect(pattern.metricValue('$action', ACCEPT_RECORD)).toBeUndefined();
    const any = SpaceDelimitedPattern.parse(`[${FLOW_COLUMNS}]`);
    expect(any.metricValue('$bytes', NODATA_RECORD)).toBeUndefined();
    expect(any.metricValue('$start', NODATA_RECORD)).toBe(1431280876);
  });

  test('$column binds through an ellipsis from the left before it and from the right after it', () => {
    expect(SpaceDelimitedPattern.parse('[..., bytes, start, end, action, log_status]').metricValue('$bytes', ACCEPT_RECORD)).toBe(4249);
    expect(SpaceDelimitedPattern.parse('[version, ..., end, action, log_status]').metricValue('$version', ACCEPT_RECORD)).toBe(2);
  });

  test('$N is the N-th field when no column has that name', () => {
    expect(pattern.metricValue('$10', ACCEPT_RECORD)).toBe(4249);
    expect(SpaceDelimitedPattern.parse('[...]').metricValue('$99', ACCEPT_RECORD)).toBeUndefined();
  });

  test.each(['$nope', '$...', '$', 'bytes', 'one', '$0'])('rejects the metric value %p', value => {
    expect(() => pattern.metricValue(value, ACCEPT_RECORD)).toThrow(`Invalid metric value ${JSON.stringify(value)}`);
  });
});

describe('syntax errors', () => {
  test('name the position, the reason, and point at it', () => {
    expect(() => SpaceDelimitedPattern.parse('[a == 1]')).toThrow(
      "Invalid space-delimited filter pattern at position 3: unknown operator '==': use =, !=, <, <=, > or >=\n  [a == 1]\n     ^");
  });

  test.each([
    ['a, b', "at position 0: expected '[' to open the pattern, found 'a'"],
    ['', "at position 0: expected '[' to open the pattern, found the end of the pattern"],
    ['[a, b', "at position 5: missing ']' at the end of the pattern"],
    ['[a = 1', "at position 6: missing ']' at the end of the pattern"],
    ['[a,', "at position 3: missing ']' at the end of the pattern"],
    ['[a, b] c', "at position 7: unexpected 'c' after the closing ']'"],
    ['[]', 'at position 1: the pattern has no columns'],
    ['[a,,b]', "at position 3: empty column: expected a column name or '...'"],
    ['[a =< 1]', "at position 3: unknown operator '=<'"],
    ['[w1=!ERROR, w2]', "at position 3: unknown operator '=!'"],
    ['[a <> 1]', "at position 3: unknown operator '<>'"],
    ['[a = ]', "at position 5: empty condition: expected a value after '='"],
    ['[a =, b]', "at position 4: empty condition: expected a value after '='"],
    ['[a = 1 && ]', "at position 10: dangling '&&': expected a condition on 'a' after it"],
    ['[a = 1 ||, b]', "at position 9: dangling '||': expected a condition on 'a' after it"],
    ['[a = 1 && = 2]', "at position 10: expected a column name or '...', found '='"],
    ['[a = 1 && a]', "at position 11: expected a comparison operator after 'a', found ']'"],
    ['[a = 1 & a = 2]', "at position 7: unknown logical operator '&': use '&&' or '||'"],
    ['[a = 1 | a = 2]', "at position 7: unknown logical operator '|'"],
    ['[a = 1 a = 2]', "at position 7: unexpected 'a': expected '&&', '||', ',' or ']'"],
    ['[a b]', "at position 3: unexpected 'b': expected a comparison operator, ',' or ']'"],
    ['[(a = 1), b]', "at position 1: expected a column name or '...', found '(' (parentheses are not supported in space-delimited patterns)"],
    ['[a = (1)]', "at position 5: expected a value after '=', found '(' (parentheses are not supported"],
    ['[a = 1 && b = 2]', "at position 10: the condition names 'b' inside column 'a'"],
    ['[..., a, ...]', "at position 9: at most one '...' is allowed in a pattern"],
    ['[a, b, a]', "at position 7: column 'a' appears more than once"],
    ['[.., a]', "at position 1: '..' is not a column: an ellipsis is exactly '...'"],
    ['[...., a]', "at position 1: '....' is not a column"],
    ['[... = 1]', "at position 5: '...' cannot have conditions"],
    ['[a > ACCEPT]', "at position 5: '>' compares numbers, but 'ACCEPT' is not a number"],
    ['[a < 4*]', "at position 5: '<' compares numbers, but '4*' is not a number"],
    ['[a >= "10"]', "at position 6: '>=' compares numbers, but the value is a quoted string"],
    ['[a = "abc]', "at position 5: unterminated string: missing the closing '\"'"],
    ['[a = "abc\\', 'at position 5: unterminated string'],
    ['[a.b]', "at position 2: unexpected '.': expected a comparison operator, ',' or ']'"],
  ])('%p fails %p', (pattern, message) => {
    expect(() => SpaceDelimitedPattern.parse(pattern)).toThrow(message);
  });
});

test('throughput sanity: 200k matches complete (speed is measured by benchmarks, not asserted here)', () => {
  const pattern = SpaceDelimitedPattern.parse(flow({ dstport: '= 22 || dstport = 3389', protocol: '= 6', action: '= REJECT', bytes: '> 0' }));
  const reject = splitSpaceDelimited(ACCEPT_RECORD.replace('ACCEPT', 'REJECT'));
  const accept = splitSpaceDelimited(ACCEPT_RECORD);
  let count = 0;
  for (let i = 0; i < 100_000; i++) {
    if (pattern.matchesFields(reject)) {
      count++;
    }
    if (pattern.matchesFields(accept)) {
      count++;
    }
  }
  expect(count).toBe(100_000);
});

describe('fixedLayout: the in-place tests a replay runs agree with matchesEvent', () => {
  const patterns = [
    '[a, b = ACCEPT, c]',
    '[a, b = "ACCEPT" || b = REJECT, c = 22]',
    '[a, b != ACCEPT, c > 5 && c <= 80]',
    '[a, b = AC*, c != 7 && c != 1]',
    '[a = %^x\\d%, b, c = -]',
    '[..., b = "-", c]',
    '[a, ..., c = 22 || c = "x y"]',
    '[a, b = "*", c != ACCEPT]',
    '[a = 10, b = 1e1, c = 0.5]',
  ];
  const values = ['ACCEPT', 'REJECT', 'AC', 'ACCEPTED', '22', '022', '22.0', '7', '1', '80', '81', '-', 'x1', 'xx', '10', '1e1', '0.5', '.5', '+10', '-1'];
  // Every 3-field event over the values (plain fields only: the layout is for single-space-separated fields).
  const events: string[] = [];
  for (const a of values) for (const b of values) for (const c of values) events.push(`${a} ${b} ${c}`);

  function matchesInPlace(pattern: SpaceDelimitedPattern, event: string): boolean {
    const fields = event.split(' ');
    const starts: number[] = [];
    let offset = 0;
    for (const f of fields) {
      starts.push(offset);
      offset += f.length + 1;
    }
    const layout = pattern.fixedLayout(fields.length, '1');
    if (!layout) {
      return false;
    }
    return layout.indexes.every((i, k) => {
      const test = layout.tests[k];
      const start = starts[i];
      const end = start + fields[i].length;
      if (test.oneOf) {
        return test.oneOf.includes(event.slice(start, end));
      }
      if (test.ofNumber) {
        return test.ofNumber(numberAt(event, start, end));
      }
      return test.ofText(event.slice(start, end));
    });
  }

  test.each(patterns)('%s', source => {
    const pattern = SpaceDelimitedPattern.parse(source);
    const disagreements = events.filter(e => matchesInPlace(pattern, e) !== pattern.matchesEvent(e));
    expect(disagreements).toEqual([]);
    expect(events.some(e => pattern.matchesEvent(e))).toBe(true); // the comparison is not vacuous
  });

  test('exact strings become oneOf, numeric-only conditions ofNumber, the others ofText', () => {
    const layout = SpaceDelimitedPattern.parse('[a = "x" || a = y, b = 22 || b > 100, c = x*, d = %x%, e]').fixedLayout(5, '$e')!;
    expect(layout.indexes).toEqual([0, 1, 2, 3]);
    expect(layout.tests.map(t => (t.oneOf ? `oneOf ${t.oneOf.join(',')}` : t.ofNumber ? 'ofNumber' : 'ofText'))).toEqual(['oneOf x,y', 'ofNumber', 'ofText', 'ofText']);
    expect(layout.keys).toEqual(['0 = "x" || a = y', '1 = 22 || b > 100', '2 = x*', '3 = %x%']);
    expect(layout.valueIndex).toBe(4);
  });

  test('a field count the pattern cannot match has no layout; a metric value past the fields has no datapoint', () => {
    expect(SpaceDelimitedPattern.parse('[a, b, c]').fixedLayout(2, '1')).toBeUndefined();
    expect(SpaceDelimitedPattern.parse('[a, b, c]').fixedLayout(4, '1')).toBeUndefined(); // the last column would take two fields
    expect(SpaceDelimitedPattern.parse('[a, ..., c]').fixedLayout(5, '$c')!.valueIndex).toBe(4);
    expect(SpaceDelimitedPattern.parse('[a, ...]').fixedLayout(2, '$9')!.valueIndex).toBe(-2);
    expect(() => SpaceDelimitedPattern.parse('[a, b]').fixedLayout(2, '$zz')).toThrow('Invalid metric value "$zz"');
  });
});
