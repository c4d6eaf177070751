//! The walk over a schema that makes one value: references followed, `allOf` folded, one union
//! branch taken, optional properties in or out by plan, recursion cut off by depth.

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::merge;
use super::overlap::{is_of_type, presence_only, takes_every, takes_object};
use super::rng::Rng;
use super::scalars;
use super::tags::{tag_for, Tag};
use super::{Direction, Plan};
use crate::openapi::{AdditionalProperties, Pointer, Resolver, Schema};

/// From this depth on only what is required is written: arrays at their minimum, nullable
/// values `null`, optional properties left out.
const SHALLOW: usize = 5;
/// Past this depth a value that still requires more is given up (a required self-reference).
const HARD: usize = 24;
/// Values one sample may hold before it too is written only as far as required.
const BUDGET: usize = 600;

/// One walk: its random stream, direction, plan and notes.
pub struct Walker<'r, 'a> {
    resolver: &'r Resolver<'a>,
    rng: Rng,
    dir: Direction,
    plan: Plan,
    /// The first choice (union branch or enum value) of the walk, so successive samples of a
    /// type take each branch in turn.
    choice: Option<u64>,
    made: usize,
    /// What the walk could not do as asked (kept in the sample's metadata).
    pub notes: Vec<String>,
}

impl<'r, 'a> Walker<'r, 'a> {
    /// A walk with its own random stream.
    pub fn new(
        resolver: &'r Resolver<'a>,
        rng: Rng,
        dir: Direction,
        plan: Plan,
        choice: Option<u64>,
    ) -> Self {
        Walker {
            resolver,
            rng,
            dir,
            plan,
            choice,
            made: 0,
            notes: Vec::new(),
        }
    }

    fn choose(&mut self, n: usize) -> usize {
        match self.choice.take() {
            Some(k) => (k % n as u64) as usize,
            None => self.rng.below(n as u64) as usize,
        }
    }

    fn shallow(&self, depth: usize) -> bool {
        depth >= SHALLOW || self.made > BUDGET
    }

    /// A value of `schema` (found at `at`), or why none can be made.
    pub fn value(&mut self, schema: &Schema, at: &Pointer, depth: usize) -> Result<Value, String> {
        self.value_or_null(schema, at, depth, depth > 0)
    }

    /// [`value`](Self::value), `null` only when `may_be_null`: never for the named type itself,
    /// whose nullability its references carry, nor for a branch of its union (a `nullable`
    /// branch of OpenAI's `stop` makes the field an `Option`, not the union).
    fn value_or_null(
        &mut self,
        schema: &Schema,
        at: &Pointer,
        depth: usize,
        may_be_null: bool,
    ) -> Result<Value, String> {
        if depth > HARD {
            return Err(format!(
                "{at}: recursion deeper than {HARD} levels is required"
            ));
        }
        self.made += 1;
        let resolved = self
            .resolver
            .follow(Cow::Borrowed(schema), at)
            .map_err(|e| e.to_string())?;
        let at = resolved.pointer;
        let mut schema = resolved.value.into_owned();
        let had_all_of = schema.all_of.is_some();
        if had_all_of {
            schema = merge::flatten(self.resolver, &schema, &at, &mut self.notes);
        }
        if schema.is_false {
            return Err(format!("{at}: the schema `false` admits no value"));
        }
        let null_enum = schema
            .enum_values
            .as_ref()
            .is_some_and(|e| e.contains(&Value::Null));
        let nullable =
            schema.nullable || schema.type_names().iter().any(|t| t == "null") || null_enum;
        // The named type itself never admits null (references carry the `Option`).
        if nullable && may_be_null && (self.shallow(depth) || self.rng.chance(15)) {
            return Ok(Value::Null);
        }
        if let Some(c) = &schema.const_value {
            return Ok(c.clone());
        }
        if let Some(values) = &schema.enum_values {
            let values: Vec<&Value> = values.iter().filter(|v| !v.is_null()).collect();
            if values.is_empty() {
                // `enum: [null]` is null; `enum: []` (Discord's `action`) admits nothing.
                return if null_enum {
                    Ok(Value::Null)
                } else {
                    Err(format!("{at}: `enum: []` admits no value"))
                };
            }
            // probely's `{type: string, enum: [10, 20, 30]}`: every value breaks the `type`.
            let types = schema.type_names();
            let values: Vec<&Value> = values
                .into_iter()
                .filter(|v| types.is_empty() || types.iter().any(|t| is_of_type(v, t)))
                .collect();
            if values.is_empty() {
                return Err(format!(
                    "{at}: no value of the `enum` is of its `type` {types:?}: the schema admits no value"
                ));
            }
            let i = self.choose(values.len());
            return Ok(values[i].clone());
        }
        let branches = schema.one_of.clone().or_else(|| schema.any_of.clone());
        if let Some(branches) = branches.filter(|b| !b.is_empty()) {
            return self.union(&schema, &branches, &at, depth, may_be_null);
        }
        let mut value = self.typed(&schema, &at, depth)?;
        if let (Some(d), Value::Object(map)) = (&schema.discriminator, &mut value) {
            match tag_for(d, &at, had_all_of) {
                Some(Tag::Mapped(tag)) => {
                    map.insert(d.property_name.clone(), Value::String(tag));
                }
                Some(Tag::Implicit(tag)) if !self.fixes(&schema, &at, &d.property_name) => {
                    map.insert(d.property_name.clone(), Value::String(tag));
                }
                _ => {}
            }
        }
        Ok(value)
    }

    /// Whether `schema` (at `at`) fixes `property` itself with an `enum` or `const`: an implicit
    /// discriminator value (the schema's name) then yields to it, as the generated types read
    /// such a union (OpenAI's realtime items say `type: message` under a discriminator that
    /// has no mapping).
    fn fixes(&self, schema: &Schema, at: &Pointer, property: &str) -> bool {
        let Ok(resolved) = self.resolver.follow(Cow::Borrowed(schema), at) else {
            return false;
        };
        let at = resolved.pointer;
        let mut schema = resolved.value.into_owned();
        if schema.all_of.is_some() {
            schema = merge::flatten(self.resolver, &schema, &at, &mut Vec::new());
        }
        // A branch that is itself a union (OpenAI's `Item` inside `InputItem`): each of its
        // branches says its own tag.
        if let Some((key, parts)) = schema
            .one_of
            .as_ref()
            .map(|p| ("oneOf", p))
            .or(schema.any_of.as_ref().map(|p| ("anyOf", p)))
        {
            return parts
                .iter()
                .enumerate()
                .all(|(i, part)| self.fixes(part, &at.join(key).join(&i.to_string()), property));
        }
        let Some(prop) = schema.properties.as_ref().and_then(|p| p.get(property)) else {
            return false;
        };
        self.fixed_value(prop, &at.join("properties").join(property))
    }

    /// `schema` is a constant or `enum`, or a union of them and `null` (ItemReferenceParam's
    /// `type: {anyOf: [{enum: [item_reference]}, {type: null}]}`).
    fn fixed_value(&self, schema: &Schema, at: &Pointer) -> bool {
        let Ok(p) = self.resolver.follow(Cow::Borrowed(schema), at) else {
            return false;
        };
        let (p, at) = (p.value, p.pointer);
        if p.enum_values.is_some() || p.const_value.is_some() {
            return true;
        }
        let Some((key, parts)) = p
            .one_of
            .as_ref()
            .map(|x| ("oneOf", x))
            .or(p.any_of.as_ref().map(|x| ("anyOf", x)))
        else {
            return false;
        };
        parts.iter().enumerate().all(|(i, part)| {
            part.type_names() == ["null"]
                || self.fixed_value(part, &at.join(key).join(&i.to_string()))
        })
    }

    fn union(
        &mut self,
        schema: &Schema,
        branches: &[Schema],
        at: &Pointer,
        depth: usize,
        may_be_null: bool,
    ) -> Result<Value, String> {
        let keyword = if schema.one_of.is_some() {
            "oneOf"
        } else {
            "anyOf"
        };
        let first = self.choose(branches.len());
        let mut last_error = String::new();
        // A scalar that another `oneOf` branch takes as well, kept in case every branch's does.
        let mut overlapping = None;
        // Objects another branch takes as well.
        let mut object_overlaps = 0;
        for k in 0..branches.len() {
            let i = (first + k) % branches.len();
            let branch = &branches[i];
            let branch_at = at.join(keyword).join(&i.to_string());
            // Keywords written beside the union belong to every branch: the branch is made as
            // `allOf: [branch, rest]`, so a `{required: [x]}` branch makes `x` by its
            // property's schema (OpenAI's `vector_store_ids`, `file_ids`, `image_url`), and an
            // `items` beside it shapes an array branch's items (docker's `Cmd`).
            let mut base = schema.clone();
            base.one_of = None;
            base.any_of = None;
            base.discriminator = None;
            // `additionalProperties: false` beside the union with no `properties` of its own
            // forbids every key (jira's `CustomFieldContextDefaultValue`): only `{}` is left.
            let closed = matches!(
                base.additional_properties,
                Some(AdditionalProperties::Bool(false))
            ) && base.properties.as_ref().is_none_or(|p| p.is_empty());
            let merged = (!base.is_annotation_only()).then(|| Schema {
                all_of: Some(vec![branch.clone(), base]),
                ..Schema::default()
            });
            let made = merged.as_ref().unwrap_or(branch);
            let mut value = match self.value_or_null(made, &branch_at, depth + 1, may_be_null) {
                Ok(Value::Null) if !may_be_null => {
                    last_error = format!("{branch_at}: only null, which the type does not admit");
                    continue;
                }
                Ok(Value::Object(map)) if closed && !map.is_empty() => {
                    last_error = format!(
                        "{branch_at}: `additionalProperties: false` beside the union, with no \
                         `properties`, forbids the keys the branch has: the schema admits no value"
                    );
                    continue;
                }
                Ok(v) => v,
                Err(e) => {
                    last_error = e;
                    continue;
                }
            };
            // A scalar a sibling `oneOf` branch takes whole (journy's metadata values:
            // `{type: string}` beside `{type: string, format: datetime}`, a format no validator
            // knows) matches two branches, which `oneOf` refuses: another branch is tried.
            if keyword == "oneOf" && !value.is_object() && !value.is_array() {
                let twin = branches.iter().enumerate().find(|(j, other)| {
                    *j != i
                        && self
                            .resolver
                            .follow(
                                Cow::Borrowed(*other),
                                &at.join(keyword).join(&j.to_string()),
                            )
                            .is_ok_and(|o| takes_every(&o.value, &value))
                });
                if let Some((j, _)) = twin {
                    last_error = format!("{branch_at}: its value matches `oneOf/{j}` too");
                    overlapping.get_or_insert(value);
                    continue;
                }
            }
            // `oneOf` of presence-only branches: keys only a sibling requires are left out,
            // so the value matches this branch alone.
            if let (true, Value::Object(map)) = (keyword == "oneOf", &mut value) {
                let mine = presence_only(branch).unwrap_or_default();
                for (_, other) in branches.iter().enumerate().filter(|(j, _)| *j != i) {
                    for name in presence_only(other).unwrap_or_default() {
                        if !mine.contains(&name) && !schema.required.contains(&name) {
                            map.remove(&name);
                        }
                    }
                }
            }
            // A request object another branch of a `oneOf` without discriminator takes as well:
            // its keys are ones that branch declares alike or leaves open (portfoliooptimizer's
            // two bodies, the same but for one optional key each), so the value matches two
            // branches, which a validator refuses: another branch is tried. (The client reads
            // such a value either way, so round-trip samples keep it.)
            if let (true, Direction::Request, None, Value::Object(map)) =
                (keyword == "oneOf", self.dir, &schema.discriminator, &value)
            {
                let own = self.branch_schema(branch, schema, &branch_at);
                let twin = branches.iter().enumerate().find(|(j, other)| {
                    let other_at = at.join(keyword).join(&j.to_string());
                    *j != i
                        && takes_object(&self.branch_schema(other, schema, &other_at), &own, map)
                });
                if let Some((j, _)) = twin {
                    last_error = format!("{branch_at}: its value matches `{keyword}/{j}` too");
                    object_overlaps += 1;
                    continue;
                }
            }
            if let (Some(d), Some(reference), Value::Object(map)) =
                (&schema.discriminator, &branch.reference, &mut value)
            {
                if let Some(target) = Pointer::parse(reference) {
                    match tag_for(d, &target, true) {
                        Some(Tag::Mapped(tag)) => {
                            map.insert(d.property_name.clone(), Value::String(tag));
                        }
                        Some(Tag::Implicit(tag))
                            if !self.fixes(branch, &branch_at, &d.property_name) =>
                        {
                            map.insert(d.property_name.clone(), Value::String(tag));
                        }
                        _ => {}
                    }
                }
            }
            return Ok(value);
        }
        if object_overlaps == branches.len() {
            return Err(format!(
                "{at}: each branch's value matches another branch too: the `{keyword}` branches \
                 overlap (properties alike, extra keys allowed), so no value the spec describes \
                 matches exactly one"
            ));
        }
        // Every branch overlaps another (`oneOf: [integer, number]` for a whole number): the
        // first value stands, as before.
        overlapping.ok_or(last_error)
    }

    /// The schema a union branch's values follow: the branch with the keywords written beside
    /// the union, `allOf` folded.
    fn branch_schema(&self, branch: &Schema, union: &Schema, at: &Pointer) -> Schema {
        let mut rest = union.clone();
        rest.one_of = None;
        rest.any_of = None;
        rest.discriminator = None;
        let both = Schema {
            all_of: Some(vec![branch.clone(), rest]),
            ..Schema::default()
        };
        merge::flatten(self.resolver, &both, at, &mut Vec::new())
    }

    fn typed(&mut self, schema: &Schema, at: &Pointer, depth: usize) -> Result<Value, String> {
        let names: Vec<&str> = schema
            .type_names()
            .iter()
            .map(String::as_str)
            .filter(|t| *t != "null")
            .collect();
        let ty = match names.len() {
            // `type: "null"` alone (3.1's spelling of a null branch).
            0 if !schema.type_names().is_empty() => "null",
            0 => infer(schema),
            1 => names[0],
            n => names[self.choose(n)],
        };
        let fail = |e: String| format!("{at}: {e}");
        match ty {
            "object" => self.object(schema, at, depth),
            "array" => self.array(schema, at, depth),
            "string" => scalars::string(schema, &mut self.rng).map_err(fail),
            "integer" => scalars::integer(schema, &mut self.rng).map_err(fail),
            "number" => scalars::number(schema, &mut self.rng).map_err(fail),
            "boolean" => Ok(Value::Bool(self.rng.chance(50))),
            "null" => Ok(Value::Null),
            "any" => Ok(match self.rng.below(4) {
                0 => Value::String(scalars::word(5, &mut self.rng)),
                1 => Value::from(self.rng.below(100)),
                2 => Value::Bool(true),
                _ => Value::Object(Map::new()),
            }),
            other => Err(format!("{at}: unknown type `{other}`")),
        }
    }

    fn include_optional(&mut self, depth: usize) -> bool {
        if self.shallow(depth) {
            return false;
        }
        match self.plan {
            Plan::All if depth <= 2 => true,
            Plan::All | Plan::Random => self.rng.chance(40),
            Plan::Required => false,
        }
    }

    fn object(&mut self, schema: &Schema, at: &Pointer, depth: usize) -> Result<Value, String> {
        let mut map = Map::new();
        // `maxProperties`: the optional properties and extra keys fit in what the required
        // ones leave (jira's `JsonNode`, at most 10 of its 37).
        let max = schema.max_properties.map_or(usize::MAX, |m| m as usize);
        let mut room = max.saturating_sub(schema.required.len());
        if let Some(props) = &schema.properties {
            for (name, prop) in props {
                let required = schema.required.contains(name);
                let skipped = self.kept_out(prop, at);
                if skipped || !(required || (room > 0 && self.include_optional(depth))) {
                    continue;
                }
                let prop_at = at.join("properties").join(name);
                match self.value(prop, &prop_at, depth + 1) {
                    Ok(v) => {
                        if !required {
                            room -= 1;
                        }
                        map.insert(name.clone(), v);
                    }
                    Err(e) if required => return Err(e),
                    Err(_) => {}
                }
            }
        }
        let extra = match &schema.additional_properties {
            Some(AdditionalProperties::Schema(s)) => Some(s.as_ref().clone()),
            _ => None,
        };
        for name in &schema.required {
            if map.contains_key(name)
                || schema
                    .properties
                    .as_ref()
                    .is_some_and(|p| p.contains_key(name))
            {
                continue;
            }
            // A required key no property describes: any value, or the extra-keys schema's; none
            // when extra keys are refused (jira's `ScreenTypes` requires `defaultScreen`).
            let v = match (&extra, &schema.additional_properties) {
                (Some(s), _) => self.value(s, &at.join("additionalProperties"), depth + 1)?,
                (None, Some(AdditionalProperties::Bool(false))) => {
                    return Err(format!(
                        "{at}: `{name}` is required, but no property declares it and \
                         `additionalProperties` is false: the schema admits no value"
                    ))
                }
                (None, _) => Value::String(scalars::word(5, &mut self.rng)),
            };
            map.insert(name.clone(), v);
        }
        // `minProperties`: the optional properties left out, in order, until there are enough.
        let wanted = schema.min_properties.unwrap_or(0) as usize;
        if let Some(props) = schema.properties.as_ref().filter(|_| map.len() < wanted) {
            for (name, prop) in props {
                if map.len() >= wanted {
                    break;
                }
                let skipped = self.kept_out(prop, at);
                if skipped || map.contains_key(name) {
                    continue;
                }
                if let Ok(v) = self.value(prop, &at.join("properties").join(name), depth + 1) {
                    map.insert(name.clone(), v);
                }
            }
        }
        if let Some(s) = extra.filter(|_| map.len() < max) {
            if map.len() < wanted || self.include_optional(depth) {
                let key = format!("key_{}", scalars::word(4, &mut self.rng));
                if let Ok(v) = self.value(&s, &at.join("additionalProperties"), depth + 1) {
                    map.insert(key, v);
                }
            }
        }
        // `not: {required: [a, b]}` (OpenAI's `ImageRefParam`): not all of them; the optional
        // ones go first.
        if let Some(names) = schema.not.as_deref().and_then(presence_only) {
            if names.iter().all(|n| map.contains_key(n)) {
                for n in names.iter().filter(|n| !schema.required.contains(n)) {
                    map.remove(n);
                }
            }
        }
        Ok(Value::Object(map))
    }

    /// A property this side of the wire leaves out: `readOnly` in a request, `writeOnly` in a
    /// response.
    fn kept_out(&self, prop: &Schema, at: &Pointer) -> bool {
        let (read_only, write_only) = self.access(prop, at);
        match self.dir {
            Direction::Request => read_only,
            Direction::Response => write_only,
            Direction::Any => false,
        }
    }

    /// `readOnly` and `writeOnly` of a property, written on it or on the schema it refers to.
    fn access(&self, prop: &Schema, at: &Pointer) -> (bool, bool) {
        let mut flags = (prop.read_only, prop.write_only);
        if prop.reference.is_some() {
            if let Ok(r) = self.resolver.follow(Cow::Borrowed(prop), at) {
                flags.0 |= r.value.read_only;
                flags.1 |= r.value.write_only;
            }
        }
        flags
    }

    fn array(&mut self, schema: &Schema, at: &Pointer, depth: usize) -> Result<Value, String> {
        let min = schema.min_items.unwrap_or(0);
        let max = schema.max_items.unwrap_or(u64::MAX);
        if max < min {
            return Err(format!("{at}: maxItems {max} below minItems {min}"));
        }
        let n = if self.shallow(depth) {
            min
        } else {
            self.rng.range(min, max.min(min + 3))
        };
        let prefix = schema.prefix_items.clone().unwrap_or_default();
        let any = Schema::default();
        let mut items: Vec<Value> = Vec::new();
        let mut tries = 0;
        while (items.len() as u64) < n && tries < n + 8 {
            tries += 1;
            let i = items.len();
            let (item, item_at) = match prefix.get(i) {
                Some(p) => (p, at.join("prefixItems").join(&i.to_string())),
                None => (schema.items.as_deref().unwrap_or(&any), at.join("items")),
            };
            let v = self.value(item, &item_at, depth + 1)?;
            if schema.unique_items && items.contains(&v) {
                continue;
            }
            items.push(v);
        }
        if (items.len() as u64) < min {
            return Err(format!("{at}: cannot make {min} distinct items"));
        }
        Ok(Value::Array(items))
    }
}

/// The type a schema without `type` describes by its keywords.
fn infer(schema: &Schema) -> &'static str {
    if schema.properties.is_some()
        || schema.additional_properties.is_some()
        || !schema.required.is_empty()
    {
        "object"
    } else if schema.items.is_some() || schema.prefix_items.is_some() {
        "array"
    } else if schema.pattern.is_some() || schema.min_length.is_some() || schema.format.is_some() {
        "string"
    } else if schema.minimum.is_some() || schema.maximum.is_some() || schema.multiple_of.is_some() {
        "number"
    } else {
        "any"
    }
}
