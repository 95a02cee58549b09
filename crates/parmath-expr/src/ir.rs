//! The typed expression graph: the parse tree lowered with NumPy 2's type rules (NEP 50 for Python
//! scalars), with common subexpressions shared (hash-consing), constants folded, and small integer
//! powers written as multiplications.

use crate::dtype::{common, DType, Ty};
use crate::error::{Error, ErrorKind, Result};
use crate::parse::{Ast, AstKind, BinOp, Literal, UnOp};
use parmath_core::FUNCTIONS;
use std::collections::HashMap;

/// A constant, in the widest representation of its kind.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value {
    /// A boolean.
    Bool(bool),
    /// A signed integer (also holds every unsigned value up to `i64::MAX`).
    Int(i64),
    /// An unsigned integer above `i64::MAX`.
    UInt(u64),
    /// A float.
    Float(f64),
}

impl Value {
    fn key(self) -> (u8, u64) {
        match self {
            Value::Bool(b) => (0, u64::from(b)),
            Value::Int(v) => (1, v as u64),
            Value::UInt(v) => (2, v),
            Value::Float(v) => (3, v.to_bits()),
        }
    }

    /// The value as NumPy prints a scalar of type `d`.
    pub fn show(self) -> String {
        match self {
            Value::Bool(b) => if b { "True" } else { "False" }.to_string(),
            Value::Int(v) => v.to_string(),
            Value::UInt(v) => v.to_string(),
            Value::Float(v) => format!("{v:?}"),
        }
    }
}

/// An operation of the engine. Operands have the node's operand type (see [`Node::operand`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Op {
    /// a + b (bool: or)
    Add,
    /// a - b
    Sub,
    /// a * b (bool: and)
    Mul,
    /// a / b (floats only)
    Div,
    /// floor(a / b), Python's semantics
    FloorDiv,
    /// a - floor(a / b) * b, Python's semantics (the sign of b)
    Mod,
    /// a ** b
    Pow,
    /// a < b
    Lt,
    /// a <= b
    Le,
    /// a > b
    Gt,
    /// a >= b
    Ge,
    /// a == b
    Eq,
    /// a != b
    Ne,
    /// a & b
    And,
    /// a | b
    Or,
    /// a ^ b
    Xor,
    /// numpy.maximum (NaN propagates)
    Max,
    /// numpy.minimum (NaN propagates)
    Min,
    /// -a
    Neg,
    /// ~a (bool: not)
    Not,
    /// |a|
    Abs,
    /// where(c, a, b)
    Where,
    /// A conversion to the node's type from the operand's.
    Cast,
    /// A registry function with one argument (index into `FUNCTIONS`).
    Func1(usize),
    /// A registry function with two arguments (index into `FUNCTIONS`).
    Func2(usize),
}

impl Op {
    /// The name used by `disassemble`.
    pub fn name(self) -> String {
        match self {
            Op::Func1(i) | Op::Func2(i) => FUNCTIONS[i].name.to_string(),
            o => format!("{o:?}").to_lowercase(),
        }
    }
}

/// A node of the graph.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    /// Array input number `i` (its own type).
    Input(usize),
    /// Python scalar input number `i`, converted to the node's type when the program runs.
    Scalar(usize),
    /// A constant of the node's type.
    Const(Value),
    /// An operation on earlier nodes; `operand` is the type its arguments have.
    Op {
        /// What.
        op: Op,
        /// The arguments' type.
        operand: DType,
        /// The arguments.
        args: Vec<usize>,
    },
}

/// A node and the type of its value.
#[derive(Clone, Debug, PartialEq)]
pub struct Typed {
    /// The node.
    pub node: Node,
    /// Its type.
    pub dtype: DType,
}

/// The reductions allowed as the outermost call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Reduction {
    /// `sum`
    Sum,
    /// `prod`
    Prod,
    /// `min`
    Min,
    /// `max`
    Max,
}

impl Reduction {
    fn parse(name: &str) -> Option<Reduction> {
        Some(match name {
            "sum" => Reduction::Sum,
            "prod" => Reduction::Prod,
            "min" => Reduction::Min,
            "max" => Reduction::Max,
            _ => return None,
        })
    }

    /// Its name in the language.
    pub fn name(self) -> &'static str {
        match self {
            Reduction::Sum => "sum",
            Reduction::Prod => "prod",
            Reduction::Min => "min",
            Reduction::Max => "max",
        }
    }

    /// NumPy's result type of the reduction over type `d` (sums and products of small integers
    /// accumulate in the platform integer).
    pub fn result(self, d: DType) -> DType {
        match self {
            Reduction::Min | Reduction::Max => d,
            _ => match d {
                DType::Bool | DType::I8 | DType::I16 | DType::I32 => DType::I64,
                DType::U8 | DType::U16 | DType::U32 => DType::U64,
                d => d,
            },
        }
    }
}

/// What a name stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Input {
    /// An array of this type.
    Array(DType),
    /// A Python `int`.
    Int,
    /// A Python `float`.
    Float,
}

/// The typed graph of an expression.
#[derive(Clone, Debug)]
pub struct Graph {
    /// Nodes, each after its arguments.
    pub nodes: Vec<Typed>,
    /// The node whose value is the result (before any reduction).
    pub root: usize,
    /// The outermost reduction and its axis (`None`: all axes).
    pub reduce: Option<(Reduction, Option<i64>)>,
    /// The names, in the order inputs are numbered.
    pub names: Vec<String>,
}

/// The result of lowering a subtree: a node, or a Python scalar value not yet given a type.
#[derive(Clone, Copy)]
enum Val {
    Strong(usize),
    Weak(Ty),
}

struct Lower<'a> {
    names: &'a [String],
    inputs: &'a [Input],
    nodes: Vec<Typed>,
    cse: HashMap<(u8, u64, u64, Vec<usize>, DType), usize>,
}

/// Functions of the language that are operators under another name (so `add(a, b)` is `a + b`,
/// integer types included).
fn op_alias(name: &str) -> Option<(Op, usize)> {
    Some(match name {
        "add" => (Op::Add, 2),
        "subtract" => (Op::Sub, 2),
        "multiply" => (Op::Mul, 2),
        "divide" => (Op::Div, 2),
        "power" => (Op::Pow, 2),
        "maximum" => (Op::Max, 2),
        "minimum" => (Op::Min, 2),
        "absolute" | "abs" => (Op::Abs, 1),
        "negative" => (Op::Neg, 1),
        _ => return None,
    })
}

/// Lowers a parsed expression. `names[i]` is input `i`, of type `inputs[i]`.
pub fn lower(ast: &Ast, names: &[String], inputs: &[Input]) -> Result<Graph> {
    let mut l = Lower {
        names,
        inputs,
        nodes: Vec::new(),
        cse: HashMap::new(),
    };
    let (body, reduce) = match &ast.kind {
        AstKind::Call {
            name,
            args,
            axis,
            name_span,
        } if Reduction::parse(name).is_some() => {
            if args.len() != 1 {
                return Err(Error::new(
                    ErrorKind::Value,
                    format!(
                        "{name}() takes 1 positional argument ({} given)",
                        args.len()
                    ),
                    Some(*name_span),
                ));
            }
            (
                &args[0],
                Some((Reduction::parse(name).unwrap(), axis.flatten())),
            )
        }
        _ => (ast, None),
    };
    let v = l.lower(body)?;
    let root = match v {
        Val::Strong(id) => id,
        Val::Weak(t) => l.at(body, v, t.concrete())?,
    };
    Ok(Graph {
        nodes: l.nodes,
        root,
        reduce,
        names: names.to_vec(),
    })
}

fn type_error(message: String, span: (usize, usize)) -> Error {
    Error::new(ErrorKind::Type, message, Some(span))
}

impl Lower<'_> {
    fn add(&mut self, node: Node, dtype: DType) -> usize {
        let key = match &node {
            Node::Input(i) => (0, *i as u64, 0, Vec::new(), dtype),
            Node::Scalar(i) => (1, *i as u64, 0, Vec::new(), dtype),
            Node::Const(v) => {
                let (k, b) = v.key();
                (2, u64::from(k), b, Vec::new(), dtype)
            }
            Node::Op { op, operand, args } => {
                let mut h = std::collections::hash_map::DefaultHasher::new();
                std::hash::Hash::hash(&(op, operand), &mut h);
                (3, std::hash::Hasher::finish(&h), 0, args.clone(), dtype)
            }
        };
        if let Some(&id) = self.cse.get(&key) {
            if self.nodes[id].node == node {
                return id;
            }
        }
        let node = crate::exec::fold(&self.nodes, node, dtype);
        self.nodes.push(Typed { node, dtype });
        let id = self.nodes.len() - 1;
        self.cse.insert(key, id);
        id
    }

    fn op(&mut self, op: Op, operand: DType, args: Vec<usize>, dtype: DType) -> usize {
        self.add(Node::Op { op, operand, args }, dtype)
    }

    fn konst(&mut self, v: Value, d: DType) -> usize {
        self.add(Node::Const(v), d)
    }

    /// The node of `ast` (lowered as `v`) as type `d`: a cast for a typed value, the Python scalar
    /// given that type otherwise.
    fn at(&mut self, ast: &Ast, v: Val, d: DType) -> Result<usize> {
        match v {
            Val::Strong(id) => Ok(self.cast(id, d)),
            Val::Weak(_) => self.materialize(ast, d),
        }
    }

    fn cast(&mut self, id: usize, d: DType) -> usize {
        let from = self.nodes[id].dtype;
        if from == d {
            id
        } else {
            self.op(Op::Cast, from, vec![id], d)
        }
    }

    fn ty(&self, v: Val) -> Ty {
        match v {
            Val::Strong(id) => Ty::Strong(self.nodes[id].dtype),
            Val::Weak(t) => t,
        }
    }

    fn literal(&mut self, lit: Literal, d: DType, span: (usize, usize)) -> Result<usize> {
        let v = match lit {
            Literal::Int(i) => {
                int_as(i, d).map_err(|m| Error::new(ErrorKind::Overflow, m, Some(span)))?
            }
            Literal::Float(f) => {
                if !d.is_float() {
                    return Err(type_error(format!("a float cannot be {}", d.name()), span));
                }
                Value::Float(f)
            }
        };
        Ok(self.konst(v, d))
    }

    /// Gives the Python-scalar subtree `ast` the type `d` (NEP 50: the scalar takes the type of what it
    /// meets).
    fn materialize(&mut self, ast: &Ast, d: DType) -> Result<usize> {
        match &ast.kind {
            AstKind::Num(lit) => self.literal(*lit, d, ast.span),
            AstKind::Name(n) => match self.names.iter().position(|m| m == n) {
                Some(i) => Ok(self.add(Node::Scalar(i), d)),
                None => self.literal(Literal::Float(named_constant(n).unwrap()), d, ast.span),
            },
            AstKind::Unary(UnOp::Pos, a) => self.materialize(a, d),
            AstKind::Unary(op, a) => {
                let x = self.materialize(a, d)?;
                self.unary(*op, x, ast.span)
            }
            AstKind::Binary(op, a, b) => {
                let (x, y) = (self.materialize(a, d)?, self.materialize(b, d)?);
                self.binary(*op, x, y, ast.span)
            }
            _ => unreachable!("only numbers, scalar names and operators on them are untyped"),
        }
    }

    fn lower(&mut self, ast: &Ast) -> Result<Val> {
        match &ast.kind {
            AstKind::Num(Literal::Int(_)) => Ok(Val::Weak(Ty::WeakInt)),
            AstKind::Num(Literal::Float(_)) => Ok(Val::Weak(Ty::WeakFloat)),
            AstKind::Bool(b) => Ok(Val::Strong(self.konst(Value::Bool(*b), DType::Bool))),
            AstKind::Name(n) => match self.names.iter().position(|m| m == n) {
                Some(i) => Ok(match self.inputs[i] {
                    Input::Array(d) => Val::Strong(self.add(Node::Input(i), d)),
                    Input::Int => Val::Weak(Ty::WeakInt),
                    Input::Float => Val::Weak(Ty::WeakFloat),
                }),
                None if named_constant(n).is_some() => Ok(Val::Weak(Ty::WeakFloat)),
                None => Err(Error::new(
                    ErrorKind::Name,
                    format!("name '{n}' is not defined"),
                    Some(ast.span),
                )),
            },
            AstKind::Unary(UnOp::Pos, a) => self.lower(a),
            AstKind::Unary(op, a) => {
                let v = self.lower(a)?;
                match (v, op) {
                    (Val::Weak(Ty::WeakFloat), UnOp::Invert) => Err(type_error(
                        "~ needs a boolean or integer operand, got a float".into(),
                        ast.span,
                    )),
                    (Val::Weak(_), _) => Ok(v),
                    (Val::Strong(x), _) => Ok(Val::Strong(self.unary(*op, x, ast.span)?)),
                }
            }
            AstKind::Binary(op, a, b) => {
                let (va, vb) = (self.lower(a)?, self.lower(b)?);
                let c = common(self.ty(va), self.ty(vb));
                let comparison = matches!(
                    op,
                    BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge | BinOp::Eq | BinOp::Ne
                );
                if c.is_weak() && !comparison {
                    if matches!(op, BinOp::And | BinOp::Or | BinOp::Xor) && c == Ty::WeakFloat {
                        return Err(type_error(
                            format!(
                                "{} needs boolean or integer operands, got floats",
                                op.symbol()
                            ),
                            ast.span,
                        ));
                    }
                    return Ok(Val::Weak(if *op == BinOp::Div { Ty::WeakFloat } else { c }));
                }
                let d = c.concrete();
                let (x, y) = (self.at(a, va, d)?, self.at(b, vb, d)?);
                Ok(Val::Strong(self.binary(*op, x, y, ast.span)?))
            }
            AstKind::Call {
                name,
                name_span,
                args,
                axis,
            } => self.call(name, *name_span, args, *axis, ast.span),
        }
    }

    fn unary(&mut self, op: UnOp, x: usize, span: (usize, usize)) -> Result<usize> {
        let d = self.nodes[x].dtype;
        match op {
            UnOp::Pos => Ok(x),
            UnOp::Neg if d == DType::Bool => Err(type_error(
                "the boolean negative, the `-` operator, is not supported; use `~`".into(),
                span,
            )),
            UnOp::Neg => Ok(self.op(Op::Neg, d, vec![x], d)),
            UnOp::Invert if d.is_float() => Err(type_error(
                format!("~ needs a boolean or integer operand, got {}", d.name()),
                span,
            )),
            UnOp::Invert => Ok(self.op(Op::Not, d, vec![x], d)),
        }
    }

    /// `x op y` for two nodes of the same type.
    fn binary(&mut self, op: BinOp, x: usize, y: usize, span: (usize, usize)) -> Result<usize> {
        let d = self.nodes[x].dtype;
        debug_assert_eq!(d, self.nodes[y].dtype);
        let simple = |o: Op| (o, d, d);
        let (o, operand, result) = match op {
            BinOp::Add if d == DType::Bool => simple(Op::Or),
            BinOp::Mul if d == DType::Bool => simple(Op::And),
            BinOp::Sub if d == DType::Bool => {
                return Err(type_error(
                    "the boolean subtract, the `-` operator, is not supported; use `^`".into(),
                    span,
                ))
            }
            BinOp::Add => simple(Op::Add),
            BinOp::Sub => simple(Op::Sub),
            BinOp::Mul => simple(Op::Mul),
            BinOp::Div if d.is_float() => simple(Op::Div),
            BinOp::Div => (Op::Div, DType::F64, DType::F64),
            BinOp::FloorDiv | BinOp::Mod | BinOp::Pow if d == DType::Bool => {
                let o = match op {
                    BinOp::FloorDiv => Op::FloorDiv,
                    BinOp::Mod => Op::Mod,
                    _ => Op::Pow,
                };
                (o, DType::I8, DType::I8)
            }
            BinOp::FloorDiv => simple(Op::FloorDiv),
            BinOp::Mod => simple(Op::Mod),
            BinOp::Pow => return Ok(self.power(x, y)),
            BinOp::Lt => (Op::Lt, d, DType::Bool),
            BinOp::Le => (Op::Le, d, DType::Bool),
            BinOp::Gt => (Op::Gt, d, DType::Bool),
            BinOp::Ge => (Op::Ge, d, DType::Bool),
            BinOp::Eq => (Op::Eq, d, DType::Bool),
            BinOp::Ne => (Op::Ne, d, DType::Bool),
            BinOp::And | BinOp::Or | BinOp::Xor if d.is_float() => {
                return Err(type_error(
                    format!(
                        "{} needs boolean or integer operands, got {}",
                        op.symbol(),
                        d.name()
                    ),
                    span,
                ))
            }
            BinOp::And => simple(Op::And),
            BinOp::Or => simple(Op::Or),
            BinOp::Xor => simple(Op::Xor),
        };
        let (x, y) = (self.cast(x, operand), self.cast(y, operand));
        if o == Op::Div {
            if let Node::Const(Value::Float(c)) = self.nodes[y].node {
                // x / 2^k is x * 2^-k exactly (same rounding, same flags), and multiplying is faster.
                let r = 1.0 / c;
                let power_of_two = c.is_normal() && c.to_bits() & ((1 << 52) - 1) == 0;
                if power_of_two && exact_in(r, operand) {
                    let k = self.konst(Value::Float(r), operand);
                    return Ok(self.op(Op::Mul, operand, vec![x, k], result));
                }
            }
        }
        Ok(self.op(o, operand, vec![x, y], result))
    }

    /// `x ** y`: small integer exponents as multiplications, 0.5 as `sqrt`, -1 as a division (NumPy's
    /// own fast paths for 0.5, -1 and 2; 3 and 4 trade `power`'s 1 ULP for two roundings).
    fn power(&mut self, x: usize, y: usize) -> usize {
        let d = self.nodes[x].dtype;
        let (x, y, d) = if d == DType::Bool {
            (self.cast(x, DType::I8), self.cast(y, DType::I8), DType::I8)
        } else {
            (x, y, d)
        };
        let n = match self.nodes[y].node {
            Node::Const(Value::Int(n)) => Some(n as f64),
            Node::Const(Value::Float(f)) => Some(f),
            _ => None,
        };
        match n {
            Some(1.0) => return x,
            Some(2.0) => return self.op(Op::Mul, d, vec![x, x], d),
            Some(3.0) => {
                let s = self.op(Op::Mul, d, vec![x, x], d);
                return self.op(Op::Mul, d, vec![s, x], d);
            }
            Some(4.0) => {
                let s = self.op(Op::Mul, d, vec![x, x], d);
                return self.op(Op::Mul, d, vec![s, s], d);
            }
            Some(0.5) if d.is_float() => {
                let i = parmath_core::FUNCTIONS
                    .iter()
                    .position(|f| f.name == "sqrt")
                    .unwrap();
                return self.op(Op::Func1(i), d, vec![x], d);
            }
            Some(-1.0) if d.is_float() => {
                let one = self.konst(Value::Float(1.0), d);
                return self.op(Op::Div, d, vec![one, x], d);
            }
            _ => {}
        }
        self.op(Op::Pow, d, vec![x, y], d)
    }

    fn call(
        &mut self,
        name: &str,
        name_span: (usize, usize),
        args: &[Ast],
        axis: Option<Option<i64>>,
        span: (usize, usize),
    ) -> Result<Val> {
        if Reduction::parse(name).is_some() {
            return Err(Error::new(
                ErrorKind::Value,
                format!("{name}() is only allowed as the outermost call"),
                Some(name_span),
            ));
        }
        if axis.is_some() {
            return Err(Error::new(
                ErrorKind::Value,
                format!("{name}() takes no axis= argument"),
                Some(name_span),
            ));
        }
        let arity = |n: usize| -> Result<()> {
            if args.len() == n {
                Ok(())
            } else {
                Err(Error::new(
                    ErrorKind::Value,
                    format!(
                        "{name}() takes {n} argument{} ({} given)",
                        if n == 1 { "" } else { "s" },
                        args.len()
                    ),
                    Some(name_span),
                ))
            }
        };
        let vals = args
            .iter()
            .map(|a| self.lower(a))
            .collect::<Result<Vec<_>>>()?;
        if name == "where" {
            arity(3)?;
            let c = self.at(&args[0], vals[0], self.ty(vals[0]).concrete())?;
            let c = self.cast(c, DType::Bool);
            let d = common(self.ty(vals[1]), self.ty(vals[2])).concrete();
            let (a, b) = (
                self.at(&args[1], vals[1], d)?,
                self.at(&args[2], vals[2], d)?,
            );
            return Ok(Val::Strong(self.op(Op::Where, d, vec![c, a, b], d)));
        }
        let fi = FUNCTIONS.iter().position(|f| f.name == name);
        let alias = op_alias(name);
        let n = match (alias, fi) {
            (Some((_, n)), _) => n,
            (None, Some(i)) => FUNCTIONS[i].arity(),
            (None, None) => {
                return Err(Error::new(
                    ErrorKind::Value,
                    format!("unknown function '{name}'"),
                    Some(name_span),
                ))
            }
        };
        arity(n)?;
        let c = vals
            .iter()
            .map(|&v| self.ty(v))
            .reduce(common)
            .unwrap()
            .concrete();
        // Operators keep integer types, as NumPy's integer loops do; other functions compute in the
        // smallest float type the arguments convert to safely.
        let int_loops = matches!(name, "floor" | "ceil" | "trunc");
        let d = match alias {
            Some((Op::Div, _)) => {
                if c.is_float() {
                    c
                } else {
                    DType::F64
                }
            }
            Some((Op::Abs | Op::Max | Op::Min | Op::Add | Op::Mul, _)) => c,
            Some(_) if c == DType::Bool => DType::I8,
            Some(_) => c,
            None if int_loops && !c.is_float() => {
                // floor/ceil/trunc of an integer is the integer itself.
                let d = if c == DType::Bool { DType::I8 } else { c };
                let x = self.at(&args[0], vals[0], d)?;
                return Ok(Val::Strong(x));
            }
            None if name == "square" && !c.is_float() => {
                let d = if c == DType::Bool { DType::I8 } else { c };
                let x = self.at(&args[0], vals[0], d)?;
                return Ok(Val::Strong(self.op(Op::Mul, d, vec![x, x], d)));
            }
            None => c.to_float(),
        };
        let xs = args
            .iter()
            .zip(&vals)
            .map(|(a, &v)| self.at(a, v, d))
            .collect::<Result<Vec<_>>>()?;
        let id = match alias {
            Some((op, 2)) => {
                let bin = match op {
                    Op::Add => BinOp::Add,
                    Op::Sub => BinOp::Sub,
                    Op::Mul => BinOp::Mul,
                    Op::Div => BinOp::Div,
                    Op::Pow => BinOp::Pow,
                    _ => {
                        return Ok(Val::Strong(self.op(op, d, xs, d)));
                    }
                };
                self.binary(bin, xs[0], xs[1], span)?
            }
            Some((Op::Neg, _)) => self.unary(UnOp::Neg, xs[0], span)?,
            Some((op, _)) => self.op(op, d, xs, d),
            None if n == 1 => self.op(Op::Func1(fi.unwrap()), d, xs, d),
            None => self.op(Op::Func2(fi.unwrap()), d, xs, d),
        };
        Ok(Val::Strong(id))
    }
}

/// `pi`, `e`, `inf`, `nan` (when no input has the name).
fn named_constant(n: &str) -> Option<f64> {
    Some(match n {
        "pi" => std::f64::consts::PI,
        "e" => std::f64::consts::E,
        "inf" => f64::INFINITY,
        "nan" => f64::NAN,
        _ => return None,
    })
}

/// A Python int as type `d`, or NumPy's error when it does not fit.
pub fn int_as(i: i64, d: DType) -> std::result::Result<Value, String> {
    let fits = match d {
        DType::Bool => true,
        DType::I8 => i8::try_from(i).is_ok(),
        DType::I16 => i16::try_from(i).is_ok(),
        DType::I32 => i32::try_from(i).is_ok(),
        DType::I64 => true,
        DType::U8 => u8::try_from(i).is_ok(),
        DType::U16 => u16::try_from(i).is_ok(),
        DType::U32 => u32::try_from(i).is_ok(),
        DType::U64 => i >= 0,
        DType::F16 | DType::F32 | DType::F64 => return Ok(Value::Float(i as f64)),
    };
    if !fits {
        return Err(format!("Python integer {i} out of bounds for {}", d.name()));
    }
    Ok(if d == DType::Bool {
        Value::Bool(i != 0)
    } else {
        Value::Int(i)
    })
}

/// Whether `r` is a normal number of type `d` (a power of two is then exact in it).
fn exact_in(r: f64, d: DType) -> bool {
    let (min, max) = match d {
        DType::F16 => (6.103515625e-05, 65504.0),
        DType::F32 => (f64::from(f32::MIN_POSITIVE), f64::from(f32::MAX)),
        _ => (f64::MIN_POSITIVE, f64::MAX),
    };
    (min..=max).contains(&r.abs())
}
