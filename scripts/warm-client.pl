#!/usr/bin/perl
# jbolt's warm client: hands this command line to the project's warm jbolt process (its JVM and
# its SSH sessions stay up between runs; dev.jbolt.warm.WarmServer) and plays back its output, questions
# and exit code. Started by the launcher; starts the warm process when there is none. Perl with
# built-ins only, so that it starts in a few milliseconds (a JVM takes 0.2 s here): perl-base is
# part of every Debian. Linux only (its socket constants and ioctl number).
#
# Environment (set by the launcher): JBOLT_WARM_LAUNCHER, the launcher that starts a warm process
# (--jbolt-warm-daemon SOCKET PROJECT) or runs cold (JBOLT_PERSIST=0); JBOLT_WARM_JAR, the jar
# (a new build gets new warm processes).
#
# Trust: the socket directory is used only when it is this user's with mode 0700 and its parents
# are this user's or root's (others may write only a sticky one, as /tmp); the server must be
# this user (SO_PEERCRED) before a byte is sent; the log is opened without following a link.
use strict;
use Fcntl qw(O_WRONLY O_APPEND O_CREAT O_NOFOLLOW S_ISDIR);

my ($AF_UNIX, $SOCK_STREAM, $TIOCGWINSZ, $SOL_SOCKET, $SO_PEERCRED) = (1, 1, 0x5413, 1, 17);
my $launcher = $ENV{JBOLT_WARM_LAUNCHER};
my @args = @ARGV;

my $interrupts = 0;
my ($exit_on_signal, $signal_name) = (130, '');    # what the first signal was
sub cold {    # the run goes to a process of its own; $why, when given, is said in one line
  my ($why) = @_;
  exit $exit_on_signal if $interrupts;
  print STDERR "jbolt: running without the warm process: $why\n" if defined $why;
  $ENV{JBOLT_PERSIST} = '0';
  exec($launcher, @args) or die "jbolt: cannot run $launcher: $!\n";
}

cold() unless defined $launcher;
# Runs of their own: --no-persist; 'persist' itself; a password picocli would prompt for (-p,
# --password, --sudo-password without a value, --password-prompt, --sudo-password-prompt: the
# prompt belongs to this terminal).
my $verb;
for my $a (@args) {
  last if $a eq '--';
  cold() if $a =~ /^(--no-persist|-p|--password|--sudo-password|--password-prompt|--sudo-password-prompt)$/;
  $verb //= $a unless $a =~ /^-/;
}
cold() if defined $verb && $verb eq 'persist';
# A descriptor of this process (<(...), /dev/stdin) means nothing to another one: such a run is cold.
for my $a (@args) { cold() if $a =~ m{^(?:/dev/fd/|/proc/self/fd/|/proc/thread-self/fd/|/dev/std(?:in|out|err)$)}; }
my $cwd = readlink('/proc/self/cwd');
cold() unless defined $cwd;

# The project, found as jbolt finds it: --project, else the nearest directory upwards with a
# project file or a Boltdir/, else the working directory when it has an inventory.
my $project;
for (my $i = 0; $i < @args; $i++) {
  last if $args[$i] eq '--';
  if ($args[$i] eq '--project' && $i + 1 < @args) { $project = $args[$i + 1]; }
  elsif ($args[$i] =~ /^--project=(.*)$/s) { $project = $1; }
}
if (defined $project) {
  $project = "$cwd/$project" unless $project =~ m{^/};
  $project =~ s{/+$}{} if length($project) > 1;
} else {
  for (my $d = $cwd; ;) {
    if (-f "$d/jbolt-project.yaml" || -f "$d/bolt-project.yaml") { $project = $d; last; }
    if (-d "$d/Boltdir") { $project = $d eq '/' ? '/Boltdir' : "$d/Boltdir"; last; }
    if ($d eq $cwd && -f "$d/inventory.yaml") { $project = $d; last; }
    last if $d eq '/';
    $d =~ s{/[^/]*$}{};
    $d = '/' if $d eq '';
  }
}

# Where: a directory that this user alone may use (see Trust above); else run cold, saying why.
sub unsafe_parent {    # '' when only this user or root can change what $p holds
  my ($p) = @_;
  my @st = stat($p) or return "$p: $!";
  return sprintf('%s belongs to uid %d, neither you nor root', $p, $st[4])
    if $st[4] != $< && $st[4] != 0;
  return sprintf('%s may be written by others (mode %04o)', $p, $st[2] & 07777)
    if ($st[2] & 022) && !($st[2] & 01000);
  return '';
}

sub unsafe_dir {    # '' when $d is a private directory of this user's, else why not
  my ($d) = @_;
  return "$d is not an absolute path" unless $d =~ m{^/};
  my @st = lstat($d) or return "$d: $!";
  return "$d is not a directory" unless S_ISDIR($st[2]);
  return sprintf('%s belongs to uid %d, not to you (uid %d)', $d, $st[4], $<) if $st[4] != $<;
  return sprintf('%s has mode %04o: others may use it (it must be 0700)', $d, $st[2] & 07777)
    if $st[2] & 077;
  for (my $p = $d; $p ne '/';) {
    $p =~ s{/[^/]*$}{};
    $p = '/' if $p eq '';
    my $why = unsafe_parent($p);
    return $why if $why ne '';
  }
  return '';
}

sub private_dir {    # ($dir, '') made if missing, or (undef, why not); nothing made under others'
  my ($d) = @_;
  $d =~ s{//+}{/}g;
  $d =~ s{(.)/+$}{$1};
  my $made = '';
  my @parts = grep { length } split(m{/}, $d);
  for my $i (0 .. $#parts) {
    my $parent = $made eq '' ? '/' : $made;
    $made .= "/$parts[$i]";
    next if -e $made;
    my $why = unsafe_parent($parent);
    return (undef, $why) if $why ne '';
    mkdir($made, 0700);
  }
  my $why = unsafe_dir($d);
  return $why eq '' ? ($d, '') : (undef, $why);
}

my ($dir, $why);
my $rt = $ENV{XDG_RUNTIME_DIR};
if (defined $rt && $rt ne '' && -d $rt) {
  $why = unsafe_dir($rt =~ s{/+$}{}r);
  ($dir, $why) = private_dir("$rt/jbolt") if $why eq '';
}
if (!defined $dir) {
  my $cache = $ENV{XDG_CACHE_HOME} || (($ENV{HOME} || (getpwuid($<))[7]) . '/.cache');
  my $fallback_why;
  ($dir, $fallback_why) = private_dir("$cache/jbolt/run");
  cold(defined $why ? "$why; $fallback_why" : $fallback_why) unless defined $dir;
}

sub fnv {    # FNV-1a, 32 bits
  my ($s, $h) = @_;
  for my $c (unpack('C*', $s)) { $h = (($h ^ $c) * 16777619) & 0xffffffff; }
  return $h;
}
my $jar = $ENV{JBOLT_WARM_JAR} // '';
my $key = join("\0", $project // '-', $jar, (stat $jar)[9] // '', (stat $jar)[7] // '', $<);
my $name = sprintf('%08x%08x', fnv($key, 2166136261), fnv($key, 0x9747b28c));

# Frames and the order they come in: docs/warm.md, "The protocol between the client and the warm
# process" (WarmProtocolTest plays it against this script).
sub frame { my ($type, $data) = @_; return $type . pack('N', length($data)) . $data; }

sub put {
  my ($fh, $data) = @_;
  while (length $data) {
    my $n = syswrite($fh, $data);
    if (!defined $n) { next if $!{EINTR}; return 0; }
    substr($data, 0, $n) = '';
  }
  return 1;
}

my $request = frame('H', 'jbolt-warm 1');
$request .= frame('A', $_) for @args;
$request .= frame('E', "$_=$ENV{$_}") for grep { !/^JBOLT_WARM_/ } sort keys %ENV;
$request .= frame('D', $cwd);
$request .= frame('U', sprintf('%04o', umask));
$request .= frame('T', (-t STDIN ? 1 : 0) . (-t STDOUT ? 1 : 0) . (-t STDERR ? 1 : 0));
for my $fh (\*STDERR, \*STDOUT, \*STDIN) {
  my $ws = "\0" x 8;
  if (-t $fh && ioctl($fh, $TIOCGWINSZ, $ws)) {
    my ($rows, $cols) = unpack('S2', $ws);
    $request .= frame('S', "$rows $cols") if $cols;
    last;
  }
}
$request .= frame('R', '');

my $buf = '';
sub next_frame {    # (type, data), or () at the end
  my ($fh) = @_;
  while (1) {
    if (length($buf) >= 5) {
      my $n = unpack('N', substr($buf, 1, 4));
      if (length($buf) >= 5 + $n) {
        my $f = [substr($buf, 0, 1), substr($buf, 5, $n)];
        substr($buf, 0, 5 + $n) = '';
        return @$f;
      }
    }
    my $r = sysread($fh, $buf, 65536, length $buf);
    if (!defined $r) { next if $!{EINTR}; return (); }
    return () if $r == 0;
  }
}

sub connect_to {    # a connected socket, undef when nothing listens; cold when not this user's
  my ($path) = @_;
  socket(my $s, $AF_UNIX, $SOCK_STREAM, 0) or return undef;
  connect($s, pack('S Z108', $AF_UNIX, $path)) or return undef;
  my $cred = getsockopt($s, $SOL_SOCKET, $SO_PEERCRED);
  my (undef, $uid) = defined $cred ? unpack('i I I', $cred) : ();
  cold("$path is served by uid " . ($uid // '?') . ", not by you (uid $<)")
    unless defined $uid && $uid == $<;
  return $s;
}

sub spawn {    # a warm process on $path, detached from this terminal; its output to a log
  my ($path) = @_;
  my $log = $path =~ s/\.sock$/.log/r;
  # Never through a link: a planted one would make this user write where someone else chose.
  sysopen(my $out, $log, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW, 0600)
    or cold("cannot open $log: $!");
  my @st = stat($out);
  cold("$log belongs to uid $st[4], not to you") if $st[4] != $<;
  my $pid = fork();
  return undef unless defined $pid;
  if ($pid == 0) {
    require POSIX;
    POSIX::setsid();
    open(STDIN, '<', '/dev/null');
    open(STDOUT, '>&', $out);
    open(STDERR, '>&', $out);
    exec($launcher, '--jbolt-warm-daemon', $path, $project // '-');
    POSIX::_exit(127);
  }
  close($out);
  return $pid;
}

my $sock;
# Ctrl-C, SIGTERM and SIGHUP alike: the first is passed on (the run is cancelled and cleaned up as
# a cold one would be, and exits 128 + the signal); a second one leaves now.
sub on_signal {
  my ($name, $number) = @_;
  return sub {
    exit(128 + $number) if ++$interrupts > 1;
    ($exit_on_signal, $signal_name) = (128 + $number, $name);
    put($sock, frame('C', $name)) if $sock;
  };
}
$SIG{INT} = on_signal('INT', 2);
$SIG{TERM} = on_signal('TERM', 15);
$SIG{HUP} = on_signal('HUP', 1);
$SIG{PIPE} = 'IGNORE';    # a reader that went away (| head) does not stop the run, as in a cold one

SLOT: for my $slot (0 .. 3) {
  my $path = "$dir/$name-$slot.sock";
  cold() if length($path) > 100;
  my $s = connect_to($path);
  if (!$s) {
    my $pid = spawn($path);
    cold() unless $pid;
    for (my $i = 0; $i < 12000 && !$s; $i++) {    # up to 2 minutes: a first start may train a cache
      select(undef, undef, undef, 0.01);
      print STDERR "jbolt: starting (the first run after an install or a build prepares a start-up"
        . " cache, about 10 s)...\n"
        if $i == 300 && -t STDERR;
      $s = connect_to($path);
      last if !$s && waitpid($pid, 1) == $pid && !($s = connect_to($path));
    }
    cold() unless $s;
  }
  put($s, $request . ($interrupts ? frame('C', $signal_name) : '')) or next SLOT;
  $buf = '';
  $sock = $s;    # for Ctrl-C while the first frame is awaited
  # 'a': the warm process took the run; before it, nothing ran and another may take it
  my ($type) = next_frame($s);
  if (!defined $type || $type ne 'a') { $sock = undef; next SLOT; }
  last;
}
cold() unless $sock;

sub ask {    # a question on the terminal, not echoed when secret
  my ($secret, $message) = @_;
  open(my $tty, '+<', '/dev/tty') or return '';
  syswrite($tty, $message);
  system('stty -echo </dev/tty') if $secret;
  my $line = <$tty>;
  if ($secret) { system('stty echo </dev/tty'); syswrite($tty, "\n"); }
  return $line // '';
}

my ($type, $data) = next_frame($sock);
while (defined $type) {
  if ($type eq 'o') { put(\*STDOUT, $data); }
  elsif ($type eq 'e') { put(\*STDERR, $data); }
  elsif ($type eq 'r') {
    my $in = '';
    my $n;
    do { $n = sysread(STDIN, $in, $data > 0 ? $data : 8192); } while (!defined $n && $!{EINTR});
    put($sock, $n ? frame('I', $in) : frame('i', ''));
  }
  elsif ($type eq 'q') { put($sock, frame('P', ask(substr($data, 0, 1) eq 's', substr($data, 1)))); }
  elsif ($type eq 'x') { exit($data + 0); }
  ($type, $data) = next_frame($sock);
}
print STDERR "jbolt: the warm process ended during the run (its log: $dir/$name-*.log);"
  . " nothing was run again\n";
exit 1;
