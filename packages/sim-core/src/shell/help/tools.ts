import type { HelpAnswer } from './types';

/**
 * Help and version lines of the lab host's other tools — curl, dig and ssh as Amazon Linux 2
 * packages them — and of the coreutils and jq the pipelines end in (`--help`), shortened from
 * each tool's own output.
 */

const CURL_VERSION =
  'curl 8.3.0 (x86_64-koji-linux-gnu) libcurl/8.3.0 OpenSSL/1.0.2k-fips zlib/1.2.7 libidn2/2.3.0 libssh2/1.4.3 nghttp2/1.41.0\n' +
  'Release-Date: 2023-09-13\n' +
  'Protocols: dict file ftp ftps gopher gophers http https imap imaps ldap ldaps mqtt pop3 pop3s rtsp scp sftp smb smbs smtp smtps telnet tftp\n' +
  'Features: alt-svc AsynchDNS GSS-API HTTP2 HTTPS-proxy IDN IPv6 Kerberos Largefile libz NTLM SPNEGO SSL threadsafe UnixSockets\n';

const CURL_HELP =
  'Usage: curl [options...] <url>\n' +
  ' -d, --data <data>          HTTP POST data\n' +
  ' -f, --fail                 Fail fast with no output on HTTP errors\n' +
  ' -h, --help <category>      Get help for commands\n' +
  ' -H, --header <header/@file> Pass custom header(s) to server\n' +
  ' -i, --include              Include protocol response headers in the output\n' +
  ' -k, --insecure             Allow insecure server connections\n' +
  ' -m, --max-time <seconds>   Maximum time allowed for transfer\n' +
  ' -o, --output <file>        Write to file instead of stdout\n' +
  ' -s, --silent               Silent mode\n' +
  ' -S, --show-error           Show error even when -s is used\n' +
  ' -u, --user <user:password> Server user and password\n' +
  ' -v, --verbose              Make the operation more talkative\n' +
  ' -V, --version              Show version number and quit\n' +
  '\n' +
  'This is not the full help, this menu is stripped into categories.\n' +
  'Use "--help category" to get an overview of all categories.\n' +
  'For all options use the manual or "--help all".\n';

const DIG_VERSION = 'DiG 9.11.4-P2-RedHat-9.11.4-26.P2.amzn2.13\n';

const DIG_HELP =
  'Usage:  dig [@global-server] [domain] [q-type] [q-class] {q-opt}\n' +
  '            {global-d-opt} host [@local-server] {local-d-opt}\n' +
  '            [ host [@local-server] {local-d-opt} [...]]\n' +
  'Where:  domain\t  is in the Domain Name System\n' +
  '        q-class  is one of (in,hs,ch,...) [default: in]\n' +
  '        q-type   is one of (a,any,mx,ns,soa,hinfo,axfr,txt,...) [default:a]\n' +
  '        q-opt    is one of:\n' +
  '                 -4                  (use IPv4 query transport only)\n' +
  '                 -t type             (specify query type)\n' +
  '                 -x dot-notation     (shortcut for reverse lookups)\n' +
  '        d-opt    is of the form +keyword[=value], where keyword is:\n' +
  '                 +[no]answer         (Control display of answer section)\n' +
  '                 +[no]short          (Display nothing except short\n' +
  '                                      form of answer)\n' +
  '        global d-opts and servers (before host name) affect all queries.\n' +
  '        local d-opts and servers (after host name) affect only that lookup.\n' +
  '        -h                           (print help and exit)\n' +
  '        -v                           (print version and exit)\n';

const SSH_USAGE =
  'usage: ssh [-1246AaCfGgKkMNnqsTtVvXxYy] [-b bind_address] [-c cipher_spec]\n' +
  '           [-D [bind_address:]port] [-E log_file] [-e escape_char]\n' +
  '           [-F configfile] [-I pkcs11] [-i identity_file]\n' +
  '           [-J [user@]host[:port]] [-L address] [-l login_name] [-m mac_spec]\n' +
  '           [-O ctl_cmd] [-o option] [-p port] [-Q query_option] [-R address]\n' +
  '           [-S ctl_path] [-W host:port] [-w local_tun[:remote_tun]]\n' +
  '           [user@]hostname [command]\n';

/** Amazon Linux 2's OpenSSH; `ssh -V` writes it on stderr. */
const SSH_VERSION = 'OpenSSH_7.4p1, OpenSSL 1.0.2k-fips  26 Jan 2017\n';

const GNU_FOOTER = '\nGNU coreutils online help: <https://www.gnu.org/software/coreutils/>\n';

/** `--help` of the coreutils, grep and jq: the usage line and the options the shell takes. */
const FILTER_HELP: Readonly<Record<string, string>> = {
  grep:
    "Usage: grep [OPTION]... PATTERNS [FILE]...\nSearch for PATTERNS in each FILE.\nExample: grep -i 'hello world' menu.h main.c\nPATTERNS can contain multiple patterns separated by newlines.\n\n" +
    'Pattern selection and interpretation:\n  -E, --extended-regexp     PATTERNS are extended regular expressions\n  -F, --fixed-strings       PATTERNS are strings\n  -e, --regexp=PATTERNS     use PATTERNS for matching\n  -i, --ignore-case         ignore case distinctions in patterns and data\n  -w, --word-regexp         match only whole words\n  -x, --line-regexp         match only whole lines\n\n' +
    'Miscellaneous:\n  -v, --invert-match        select non-matching lines\n\nOutput control:\n  -n, --line-number         print line number with output lines\n  -o, --only-matching       show only nonempty parts of lines that match\n  -q, --quiet, --silent     suppress all normal output\n  -c, --count               print only a count of selected lines per FILE\n\n' +
    "When FILE is '-', read standard input.  With no FILE, read '.' if\nrecursive, '-' otherwise.  With fewer than two FILEs, assume -h.\nExit status is 0 if any line is selected, 1 otherwise;\nif any error occurs and -q is not given, the exit status is 2.\n",
  sort:
    'Usage: sort [OPTION]... [FILE]...\nWrite sorted concatenation of all FILE(s) to standard output.\n\n  -f, --ignore-case           fold lower case to upper case characters\n  -n, --numeric-sort          compare according to string numerical value\n  -r, --reverse               reverse the result of comparisons\n  -k, --key=KEYDEF            sort via a key; KEYDEF gives location and type\n  -t, --field-separator=SEP   use SEP instead of non-blank to blank transition\n  -u, --unique                with -c, check for strict ordering;\n                                without -c, output only the first of an equal run\n' +
    GNU_FOOTER,
  uniq:
    'Usage: uniq [OPTION]... [INPUT [OUTPUT]]\nFilter adjacent matching lines from INPUT (or standard input),\nwriting to OUTPUT (or standard output).\n\n  -c, --count           prefix lines by the number of occurrences\n  -d, --repeated        only print duplicate lines, one for each group\n  -i, --ignore-case     ignore differences in case when comparing\n  -u, --unique          only print unique lines\n' +
    GNU_FOOTER,
  head:
    "Usage: head [OPTION]... [FILE]...\nPrint the first 10 lines of each FILE to standard output.\n\n  -n, --lines=[-]NUM       print the first NUM lines instead of the first 10;\n                             with the leading '-', print all but the last\n                             NUM lines of each file\n" +
    GNU_FOOTER,
  tail:
    'Usage: tail [OPTION]... [FILE]...\nPrint the last 10 lines of each FILE to standard output.\n\n  -n, --lines=[+]NUM       output the last NUM lines, instead of the last 10;\n                             or use -n +NUM to output starting with line NUM\n' +
    GNU_FOOTER,
  wc:
    'Usage: wc [OPTION]... [FILE]...\nPrint newline, word, and byte counts for each FILE, and a total line if\nmore than one FILE is specified.\n\n  -c, --bytes            print the byte counts\n  -l, --lines            print the newline counts\n  -w, --words            print the word counts\n' +
    GNU_FOOTER,
  cut:
    'Usage: cut OPTION... [FILE]...\nPrint selected parts of lines from each FILE to standard output.\n\n  -c, --characters=LIST   select only these characters\n  -d, --delimiter=DELIM   use DELIM instead of TAB for field delimiter\n  -f, --fields=LIST       select only these fields\n' +
    GNU_FOOTER,
  tr:
    'Usage: tr [OPTION]... SET1 [SET2]\nTranslate, squeeze, and/or delete characters from standard input,\nwriting to standard output.\n\n  -d, --delete            delete characters in SET1, do not translate\n  -s, --squeeze-repeats   replace each sequence of a repeated character\n                            that is listed in the last specified SET,\n                            with a single occurrence of that character\n' +
    GNU_FOOTER,
  seq:
    'Usage: seq [OPTION]... LAST\n  or:  seq [OPTION]... FIRST LAST\n  or:  seq [OPTION]... FIRST INCREMENT LAST\nPrint numbers from FIRST to LAST, in steps of INCREMENT.\n\n  -s, --separator=STRING   use STRING to separate numbers (default: \\n)\n  -w, --equal-width        equalize width by padding with leading zeroes\n' +
    GNU_FOOTER,
  cat:
    'Usage: cat [OPTION]... [FILE]...\nConcatenate FILE(s) to standard output.\n\nWith no FILE, or when FILE is -, read standard input.\n' +
    GNU_FOOTER,
  jq:
    'Usage:\tjq [OPTIONS] FILTER [FILES...]\n\njq is a tool for processing JSON inputs, applying the given filter to\nits JSON text inputs and producing the filter\'s results as JSON on\nstandard output.\n\nThe simplest filter is ., which copies jq\'s input to its output\nunmodified (except for formatting).\n\nExample:\n\n\t$ echo \'{"foo": 0}\' | jq .\n\t{\n\t  "foo": 0\n\t}\n\n' +
    "Some of the options include:\n  -c               compact instead of pretty-printed output;\n  -n               use `null` as the single input value;\n  -e               set the exit status code based on the output;\n  -s               read (slurp) all inputs into an array; apply filter to it;\n  -r               output raw strings, not JSON texts;\n  -j               like -r but jq won't print a newline after each output;\n  -S               sort keys of objects on output;\n  --tab            use tabs for indentation;\n  --arg a v        set variable $a to value <v>;\n  --argjson a v    set variable $a to JSON value <v>;\n\nSee the manpage for more options.\n",
};

export function curlHelp(args: readonly string[]): HelpAnswer | undefined {
  if (args.includes('-V') || args.includes('--version')) return { stdout: CURL_VERSION, status: 0 };
  if (args.includes('-h') || args.includes('--help')) return { stdout: CURL_HELP, status: 0 };
  return undefined;
}

export function digHelp(args: readonly string[]): HelpAnswer | undefined {
  if (args.includes('-v')) return { stderr: DIG_VERSION, status: 0 };
  if (args.includes('-h') || args.includes('--help')) return { stdout: DIG_HELP, status: 0 };
  return undefined;
}

/** ssh has no help option: `-h` and `--help` are unknown options, answered with the usage (255). */
export function sshHelp(args: readonly string[]): HelpAnswer | undefined {
  // Only ssh's own options count, not those of the command it runs (`ssh host ls -h`).
  const own: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (!arg.startsWith('-')) break;
    own.push(arg);
    if (/^-[bcDEeFIiJLlmOoopQRSWw]$/.test(arg)) i++;
  }
  args = own;
  if (args.includes('-V')) return { stderr: SSH_VERSION, status: 0 };
  if (args.includes('--help')) return { stderr: `unknown option -- -\n${SSH_USAGE}`, status: 255 };
  if (args.includes('-h')) return { stderr: `unknown option -- h\n${SSH_USAGE}`, status: 255 };
  return undefined;
}

/** `grep --help`, `jq --help` (and jq's `-h`). */
export function filterHelp(tool: string, args: readonly string[]): HelpAnswer | undefined {
  const text = FILTER_HELP[tool];
  if (text === undefined) return undefined;
  if (args.includes('--help') || (tool === 'jq' && args.includes('-h'))) return { stdout: text, status: 0 };
  return undefined;
}
