#!/usr/bin/env bash
# Fails if the top-level modules of tchannel-runtime import each other in a cycle.
#
# ARCHITECTURE.md ("Rules") gives the layer order; this keeps it true. It reads every
# `crate::`, `$crate::` and `tchannel_runtime::` path in tchannel-runtime/src (comments,
# `tests.rs` files and trailing `#[cfg(test)] mod ...` blocks left out), maps each to the
# top-level module it names (a name re-exported at the crate root counts as the module it
# comes from), and looks for a cycle in that graph. On a cycle it prints each edge with one
# place that makes it. `--graph` prints the edges instead (and still checks).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec perl -e '
use strict;
use warnings;
my $graph = grep { $_ eq "--graph" } @ARGV;
my $src = "tchannel-runtime/src";

opendir(my $dh, $src) or die "$src: $!";
my %module;
for my $e (readdir $dh) {
    next if $e =~ /^\./ || $e eq "lib.rs";
    if (-d "$src/$e") { $module{$e} = 1 }
    elsif ($e =~ /^(\w+)\.rs$/) { $module{$1} = 1 }
}
closedir $dh;

sub slurp { my ($f) = @_; open(my $fh, "<", $f) or die "$f: $!"; local $/; my $s = <$fh>; close $fh; $s }
sub strip {
    my ($s) = @_;
    $s =~ s{//[^\n]*}{}g;                               # line and doc comments
    $s =~ s{#\[cfg\(test\)\]\s*(?:pub(?:\(crate\))?\s+)?mod\s+\w+\s*\{.*}{}s;  # test module to the end
    return $s;
}
# Top-level names of a use tree: "a::b" -> a; "{a::b, c, d::{e}}" -> a, c, d.
sub heads {
    my ($t) = @_;
    return ($t) unless $t =~ /^\{/;
    $t = substr($t, 1, -1);
    1 while $t =~ s/\{[^{}]*\}//g;
    return map { /^\s*(\w+)/ ? $1 : () } split /,/, $t;
}

# Names re-exported at the crate root: `pub use module::{A, B}` / `pub use module::A`.
my %reexport;
my $lib = strip(slurp("$src/lib.rs"));
while ($lib =~ /pub\s+use\s+(\w+)::(\{[^;]*\}|\w+)\s*;/g) {
    my $m = $1;
    for my $n (heads($2)) { $reexport{$n} = $m }
}

my @files;
sub walk {
    my ($dir) = @_;
    opendir(my $d, $dir) or die "$dir: $!";
    for my $e (sort readdir $d) {
        next if $e =~ /^\./;
        my $p = "$dir/$e";
        if (-d $p) { walk($p) } elsif ($e =~ /\.rs$/ && $e ne "tests.rs") { push @files, $p }
    }
    closedir $d;
}
walk($src);

my %edge;    # "from to" -> "file: path"
my $bad = 0;
for my $f (@files) {
    my $rel = substr($f, length($src) + 1);
    next if $rel eq "lib.rs";
    my ($from) = $rel =~ /^(\w+)/;
    my $text = strip(slurp($f));
    while ($text =~ /(?<![\w:])(?:\$crate|crate|tchannel_runtime)::(\w+|(\{(?:[^{}]++|(?2))*\}))/g) {
        my $tree = $1;
        for my $n (heads($tree)) {
            my $to = $module{$n} ? $n : $reexport{$n};
            if (!defined $to) {
                # A crate-root item that is neither a module nor a re-export: lib.rs itself.
                next if $n eq "self";
                print STDERR "check-cycles: $rel: cannot resolve crate::$n\n";
                $bad = 1;
                next;
            }
            next if $to eq $from;
            $edge{"$from $to"} //= "$rel: crate::$n";
        }
    }
}
exit 2 if $bad;

my %out;
for my $k (sort keys %edge) { my ($a, $b) = split / /, $k; push @{$out{$a}}, $b }
if ($graph) { print "$_  ($edge{$_})\n" for sort keys %edge }

# Depth-first search; a back edge closes a cycle.
my (%state, @stack, @cycles);
sub visit {
    my ($m) = @_;
    $state{$m} = 1;
    push @stack, $m;
    for my $n (@{$out{$m} || []}) {
        if (($state{$n} // 0) == 1) {
            my ($i) = grep { $stack[$_] eq $n } 0 .. $#stack;
            push @cycles, [@stack[$i .. $#stack], $n];
        } elsif (!$state{$n}) {
            visit($n);
        }
    }
    pop @stack;
    $state{$m} = 2;
}
visit($_) for sort keys %module;

if (@cycles) {
    print STDERR "check-cycles: the modules of tchannel-runtime import each other in a cycle:\n";
    for my $c (@cycles) {
        print STDERR "  ", join(" -> ", @$c), "\n";
        for my $i (0 .. $#$c - 1) {
            print STDERR "      $c->[$i] -> $c->[$i + 1]: $edge{\"$c->[$i] $c->[$i + 1]\"}\n";
        }
    }
    exit 1;
}
print "check-cycles: no import cycle between the ", scalar(keys %module), " top-level modules of tchannel-runtime\n";
' -- "$@"
