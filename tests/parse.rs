//! Parser tests (work in progress).
use snnc::source::{OffsetMap, SourceFile};
use snnc::syntax::*;

fn show<T: std::fmt::Display>(
    name: &str,
    text: &str,
    r: Result<T, Vec<snnc::diagnostics::Diagnostic>>,
) {
    let f = SourceFile::new("t", text);
    match r {
        Ok(v) => println!("OK {name}: {v}"),
        Err(ds) => {
            for d in ds {
                print!("ERR {name}: {}", d.render(&f));
            }
        }
    }
}

#[test]
fn smoke() {
    let id = OffsetMap::identity();
    for t in [
        "-2**2",
        "2**3**2",
        "tau**-0.5",
        "a or b and not c",
        "v > 1 and t < 2*ms",
        "a<b<c",
        "(v > 30) & (w < 20)",
        "3^2",
        "v[index]",
        "v.value",
        "(v, w)",
        "x +* 3",
        "exp(-t/tau)",
        "1e-3 + .5 + 3. + 1E5",
        "a + not b",
        "f(x=1)",
        "99999999999999999999",
        "a if b else c",
        "rand()",
        "-x*y",
        "2**-1*3",
    ] {
        show(t, t, parse_expr(t, &id));
    }
    for t in ["dv/dt = -v / tau : 1", "dv/dt = -(v +\n ge + # exc\n I # ext\n )/ tau : volt\ndge/dt = -ge / tau_ge : volt\nI = sin(2 * pi * f * t) : volt\nf : Hz (constant)\nb : boolean\nn : integer\n", "dv/d = -v / tau : 1\nx = 2 * t : 1", "dv/dt = -v / tau : 1 : volt", " dv/dt = -v / tau : 2 * volt", "dv/dt = v / second : bool", "dv/dt = -v / tau volt", "dx/dt = 1 : 1 ; y : 1", "x : (volt)", "g : siemens/metre**2 (constant, unless   refractory)", "x = a\ny : 1", "v : second**-0.5", ""] {
        show(t, t, parse_model(t, &id));
    }
    for t in [
        "v = 0; vt += delta\n  w = clip(w+apost, 0, wmax) # c\n\n",
        "a = 1\nb = 2",
        "a = 1\n b = 2",
        "a = 1 # c\nb = 2",
        "a = b\n\n",
        "a = 1;b=2",
        "\na = 1\n",
        "v == 3",
        "v = a\n+ b",
        "v += ",
        "x //= 2; y **= 3",
    ] {
        show(t, t, parse_code(t, &id));
    }
    for t in [
        "k for k in range(N_post) if i != k",
        "i+(-1)**k for k in range(2) if i>0 and i<N_pre-1",
        "k for k in sample(N_post, p=0.1)",
        "k for k in range(1,2,3,4)",
    ] {
        show(t, t, parse_generator(t, &id));
    }
}

#[test]
fn smoke_script() {
    for entry in std::fs::read_dir("/work/shared/examples-brian2").unwrap() {
        let p = entry.unwrap().path();
        let text = std::fs::read_to_string(&p).unwrap();
        show(p.to_str().unwrap(), &text, parse_script(&text));
    }
    for t in [
        "x = 1 +\n 2",
        "for i in range(3):\n    x = i\n\n    y = 2\nelse:\n  pass\nz = 1",
        "  x = 1",
        "x = 'abc",
        "a, b = 1, 2",
        "f(a=1, b)",
        "x = '''a\\nb''' 'c' r'\\d'",
        "G.v[0:10] = 'rand()'\nS.w['i > j'] = 1\nS.w[i, :] = 2\nP[:Ne]\nx = P[Ne:]",
        "print 'x'",
        "x = 1 < 2 < 3",
        "import numpy as np\nfrom brian2 import NeuronGroup, ms",
        "x = 10_000 + 0x1F",
        "x = f'a'",
        "x = (1,)\ny = ()\nz = [1, 2,]",
    ] {
        show(t, t, parse_script(t));
    }
}
